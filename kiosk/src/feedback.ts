/**
 * Sound and speech after a scan. A tone is made with Web Audio (no files to load on a LAN-only
 * tablet): a rising two-note chime for success, a low double buzz for a problem.
 */
export type Tone = 'success' | 'celebrate' | 'problem' | 'saved';

const TONES: Record<Tone, { notes: number[]; type: OscillatorType; noteSeconds: number }> = {
  success: { notes: [660, 990], type: 'sine', noteSeconds: 0.12 },
  celebrate: { notes: [660, 830, 990, 1320], type: 'sine', noteSeconds: 0.11 },
  saved: { notes: [660, 660], type: 'sine', noteSeconds: 0.1 },
  problem: { notes: [220, 220], type: 'square', noteSeconds: 0.18 },
};

let audio: AudioContext | null = null;

/**
 * Browsers keep audio muted until the page is touched once; staff touch the kiosk while setting
 * it up, and this resumes the context then.
 */
export function unlockAudioOnFirstTouch(): void {
  const unlock = () => {
    audioContext()?.resume().catch(() => undefined);
    window.removeEventListener('pointerdown', unlock);
  };
  window.addEventListener('pointerdown', unlock);
}

export function playTone(tone: Tone): void {
  const context = audioContext();
  if (!context) return;
  const { notes, type, noteSeconds } = TONES[tone];
  let at = context.currentTime;
  for (const frequency of notes) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = type;
    oscillator.frequency.value = frequency;
    // A short fade in and out avoids clicks.
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + noteSeconds);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + noteSeconds);
    at += noteSeconds + 0.03;
  }
}

export function speak(text: string, language: string): void {
  if (!('speechSynthesis' in window)) return;
  window.speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = language;
  // Slower speech is easier to follow for older volunteers.
  utterance.rate = 0.9;
  window.speechSynthesis.speak(utterance);
}

function audioContext(): AudioContext | null {
  if (!audio && typeof AudioContext !== 'undefined') audio = new AudioContext();
  return audio;
}
