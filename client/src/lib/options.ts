import type { QuestionType } from '../../../protocol';

export type ShapeName = 'triangle' | 'diamond' | 'circle' | 'square' | 'star' | 'hexagon' | 'check' | 'cross';

/** How an option looks: colour AND shape AND letter, so no one depends on colour alone. */
export interface OptionStyle {
  letter: string;
  shape: ShapeName;
  /** Background; every one has ≥ 4.5:1 contrast with white text. */
  color: string;
}

const OPTION_STYLES: readonly OptionStyle[] = [
  { letter: 'A', shape: 'triangle', color: '#b3261e' },
  { letter: 'B', shape: 'diamond', color: '#1d4ed8' },
  { letter: 'C', shape: 'circle', color: '#8a5300' },
  { letter: 'D', shape: 'square', color: '#17753a' },
  { letter: 'E', shape: 'star', color: '#6b21a8' },
  { letter: 'F', shape: 'hexagon', color: '#0f5e6e' },
];

/** True/false gets a tick and a cross; letters come from the catalog (Đ/S, T/F). */
export function optionStyle(type: QuestionType, index: number, tfLetters: [string, string] = ['Đ', 'S']): OptionStyle {
  if (type === 'true-false')
    return index === 0
      ? { letter: tfLetters[0], shape: 'check', color: '#17753a' }
      : { letter: tfLetters[1], shape: 'cross', color: '#b3261e' };
  return OPTION_STYLES[index % OPTION_STYLES.length]!;
}
