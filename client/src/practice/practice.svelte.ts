// One practice session on the phone: the questions, the answer being chosen, each answer's feedback from the server.
import type { Choice } from '../../../protocol/events';
import type { PracticeFeedback, PracticeSessionView, PracticeSummary } from '../../../protocol/practice';
import type { ClientErrorCode } from '../lib/i18n/vi';
import type { PracticeApi } from './api';

export class PracticeSession {
  view = $state<PracticeSessionView>() as PracticeSessionView;
  /** The question on screen. */
  index = $state(0);
  /** Options ticked (shown order) before "Answer"; a numeric answer as typed. */
  chosen = $state<number[]>([]);
  numberText = $state('');
  busy = $state(false);
  error = $state<ClientErrorCode | null>(null);

  constructor(
    private readonly api: PracticeApi,
    view: PracticeSessionView,
  ) {
    this.view = view;
    // A reopened session carries on at its first unanswered question.
    const open = view.questions.findIndex((q) => !view.answers[q.id]);
    this.index = open === -1 ? view.questions.length - 1 : open;
  }

  get question() {
    return this.view.questions[this.index]!;
  }
  get feedback(): PracticeFeedback | null {
    return this.view.answers[this.question.id]?.feedback ?? null;
  }
  get answeredChoice(): Choice | null {
    return this.view.answers[this.question.id]?.choice ?? null;
  }
  get summary(): PracticeSummary {
    return this.view.summary;
  }
  get last(): boolean {
    return this.index === this.view.questions.length - 1;
  }

  toggle(i: number) {
    if (this.feedback || this.busy) return;
    if (this.question.type === 'multiple')
      this.chosen = this.chosen.includes(i) ? this.chosen.filter((x) => x !== i) : [...this.chosen, i].sort();
    else this.chosen = [i];
  }

  /** The choice to send, or null while nothing valid is chosen. */
  get choice(): Choice | null {
    const q = this.question;
    if (q.type === 'numeric') {
      const n = Number(this.numberText.trim().replace(',', '.'));
      return this.numberText.trim() && Number.isFinite(n) ? n : null;
    }
    if (!this.chosen.length) return null;
    return q.type === 'multiple' ? this.chosen : this.chosen[0]!;
  }

  async answer(): Promise<boolean> {
    const choice = this.choice;
    if (choice === null || this.busy || this.feedback) return false;
    this.busy = true;
    this.error = null;
    const res = await this.api.answer(this.view.id, this.question.id, choice);
    this.busy = false;
    if (!res.ok) {
      this.error = res.error.code;
      // Answered already (another tab): read the session again to show what was saved.
      if (res.error.code === 'ALREADY_ANSWERED') await this.reload();
      return false;
    }
    this.view.answers[this.question.id] = { choice, feedback: res.data.feedback };
    this.view.summary = res.data.summary;
    return true;
  }

  next() {
    if (this.last) return;
    this.index++;
    this.chosen = [];
    this.numberText = '';
    this.error = null;
  }

  private async reload() {
    const res = await this.api.session(this.view.id);
    if (res.ok) this.view = res.data;
  }
}
