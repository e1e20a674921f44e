// Display preferences beside large text: high contrast and reduced motion, remembered on the device (deviceStore:
// localStorage, or memory in private modes). Reduced motion follows the system setting until the viewer chooses.
import { deviceStore, type KeyValueStore } from './device-store';

const CONTRAST_KEY = 'cds:high-contrast';
const MOTION_KEY = 'cds:reduced-motion';

const systemReducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export class DisplayPrefs {
  highContrast = $state(false);
  reducedMotion = $state(false);

  constructor(private readonly store: KeyValueStore = deviceStore()) {
    this.highContrast = store.getItem(CONTRAST_KEY) === '1';
    const motion = store.getItem(MOTION_KEY);
    this.reducedMotion = motion === null ? systemReducedMotion() : motion === '1';
  }

  toggleHighContrast(): void {
    this.highContrast = !this.highContrast;
    this.store.setItem(CONTRAST_KEY, this.highContrast ? '1' : '0');
    this.apply();
  }
  toggleReducedMotion(): void {
    this.reducedMotion = !this.reducedMotion;
    this.store.setItem(MOTION_KEY, this.reducedMotion ? '1' : '0');
    this.apply();
  }
  /** Puts the classes the stylesheet reads (global.css) on the document. */
  apply(root: HTMLElement = document.documentElement): void {
    root.classList.toggle('high-contrast', this.highContrast);
    root.classList.toggle('reduce-motion', this.reducedMotion);
  }
}

export const display = new DisplayPrefs();
