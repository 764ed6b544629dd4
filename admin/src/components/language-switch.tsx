import { languages, useI18n } from '../i18n/index.tsx';

/** Remembered per browser: staff who read English keep it on the shared PC's next visit. */
export function LanguageSwitch() {
  const { m, language, setLanguage } = useI18n();
  return (
    <select class="language-switch" aria-label={m.app.language} value={language} onChange={(event) => setLanguage(event.currentTarget.value as typeof language)}>
      {languages.map((lang) => (
        <option key={lang} value={lang}>
          {m.languages[lang]}
        </option>
      ))}
    </select>
  );
}
