import { useEffect } from 'preact/hooks';
import { useMessages } from '../i18n/index.ts';
import type { ActivityChoice } from '../scan-service.ts';

/** Nobody chose: the volunteer walked away, and the next person must not inherit the question. */
const GIVE_UP_MS = 30_000;

export interface ChooserOption {
  id: string;
  title: string;
  /** A second line (place, category); left out when empty. */
  detail?: string;
}

/** A full-screen list of big buttons, one tap chooses; with `giveUpMs` it cancels itself when nobody taps. */
export function Chooser({ screen, title, options, onChoose, onCancel, giveUpMs }: { screen: string; title: string; options: ChooserOption[]; onChoose: (id: string) => void; onCancel: () => void; giveUpMs?: number }) {
  const messages = useMessages();
  useEffect(() => {
    if (giveUpMs === undefined) return;
    const timer = setTimeout(onCancel, giveUpMs);
    return () => clearTimeout(timer);
  }, []);
  return (
    <section class="overlay chooser" data-screen={screen}>
      <h1>{title}</h1>
      <div class="chooser-list">
        {options.map((option) => (
          <button key={option.id} class="chooser-option" onClick={() => onChoose(option.id)}>
            <span class="chooser-title">{option.title}</span>
            {option.detail && <span class="chooser-place">{option.detail}</span>}
          </button>
        ))}
      </div>
      <button class="secondary" onClick={onCancel}>
        {messages.chooser.cancel}
      </button>
    </section>
  );
}

export function ActivityChooser({ activities, onChoose, onCancel }: { activities: ActivityChoice[]; onChoose: (activityId: string) => void; onCancel: () => void }) {
  const messages = useMessages();
  const options = activities.map((activity) => ({ id: activity.id, title: activity.title, detail: activity.place }));
  return <Chooser screen="chooser" title={messages.chooser.title} options={options} onChoose={onChoose} onCancel={onCancel} giveUpMs={GIVE_UP_MS} />;
}
