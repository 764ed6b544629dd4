import { useEffect } from 'preact/hooks';
import { useMessages } from '../i18n/index.ts';
import type { ActivityChoice } from '../scan-service.ts';

/** Nobody chose: the volunteer walked away, and the next person must not inherit the question. */
const GIVE_UP_MS = 30_000;

export function ActivityChooser({ activities, onChoose, onCancel }: { activities: ActivityChoice[]; onChoose: (activityId: string) => void; onCancel: () => void }) {
  const messages = useMessages();
  useEffect(() => {
    const timer = setTimeout(onCancel, GIVE_UP_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <section class="overlay chooser" data-screen="chooser">
      <h1>{messages.chooser.title}</h1>
      <div class="chooser-list">
        {activities.map((activity) => (
          <button key={activity.id} class="chooser-option" onClick={() => onChoose(activity.id)}>
            <span class="chooser-title">{activity.title}</span>
            {activity.place && <span class="chooser-place">{activity.place}</span>}
          </button>
        ))}
      </div>
      <button class="secondary" onClick={onCancel}>
        {messages.chooser.cancel}
      </button>
    </section>
  );
}
