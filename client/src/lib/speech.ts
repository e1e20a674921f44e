// Read-aloud with the browser's own speech synthesis, in Vietnamese only. Loaded on the first tap of a read-aloud
// button (never in the first load); nothing is sent anywhere. Without a Vietnamese voice it says so rather than
// reading Vietnamese with an English voice, which no one could follow.

/** Voices can arrive a moment after the page loads (Chrome fires `voiceschanged`): wait a little for them. */
async function voices(synth: SpeechSynthesis, waitMs = 1500): Promise<SpeechSynthesisVoice[]> {
  const now = synth.getVoices();
  if (now.length) return now;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      synth.removeEventListener('voiceschanged', done);
      resolve(synth.getVoices());
    };
    const timer = setTimeout(done, waitMs);
    synth.addEventListener('voiceschanged', done);
  });
}

/** The Vietnamese voice to read with (a local one first), or null when the device has none. */
export function pickVietnameseVoice(list: readonly SpeechSynthesisVoice[]): SpeechSynthesisVoice | null {
  const vi = list.filter((v) => /^vi([-_]|$)/i.test(v.lang));
  return vi.find((v) => v.localService) ?? vi[0] ?? null;
}

export type SpeakOutcome = 'done' | 'stopped' | 'no-voice' | 'unsupported';

/** Reads `text` in Vietnamese; resolves when it ends, is stopped, or cannot start. */
export async function speakVietnamese(text: string): Promise<SpeakOutcome> {
  const synth = globalThis.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return 'unsupported';
  const voice = pickVietnameseVoice(await voices(synth));
  if (!voice) return 'no-voice';
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  utterance.rate = 0.9; // a little slower: elderly listeners first
  return new Promise((resolve) => {
    utterance.onend = () => resolve('done');
    utterance.onerror = (e) => resolve(e.error === 'interrupted' || e.error === 'canceled' ? 'stopped' : 'done');
    synth.speak(utterance);
  });
}

export function stopSpeaking(): void {
  globalThis.speechSynthesis?.cancel();
}
