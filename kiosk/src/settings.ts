import type { Language } from './i18n/index.ts';

/** Per-tablet choices made by staff; kept on the tablet because they depend on where it stands. */
export interface KioskSettings {
  camera: 'user' | 'environment';
  speech: boolean;
  language: Language;
}

const KEY = 'vs-kiosk-settings';
const defaults: KioskSettings = { camera: 'user', speech: false, language: 'zh-CN' };

export function loadSettings(storage: Storage = localStorage): KioskSettings {
  try {
    const saved = JSON.parse(storage.getItem(KEY) ?? '{}') as Partial<KioskSettings>;
    return {
      camera: saved.camera === 'environment' ? 'environment' : defaults.camera,
      speech: typeof saved.speech === 'boolean' ? saved.speech : defaults.speech,
      language: saved.language === 'en' ? 'en' : defaults.language,
    };
  } catch {
    return { ...defaults };
  }
}

export function saveSettings(settings: KioskSettings, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(settings));
}
