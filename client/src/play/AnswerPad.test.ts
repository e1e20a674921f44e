import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { PublicQuestion } from '../../../protocol';
import { singleQuestion } from '../test/fixtures';
import AnswerPad from './AnswerPad.svelte';

const multiple: PublicQuestion = { ...singleQuestion, id: 'm', type: 'multiple', options: ['Một', 'Hai', 'Ba'] };
const numeric: PublicQuestion = {
  id: 'n',
  type: 'numeric',
  text: 'Bao nhiêu?',
  min: 1,
  max: 5,
  timeLimitSec: 20,
  points: 1000,
};
const trueFalse: PublicQuestion = {
  id: 't',
  type: 'true-false',
  text: 'Đúng hay sai?',
  options: ['Đúng', 'Sai'],
  timeLimitSec: 20,
  points: 1000,
};

describe('AnswerPad', () => {
  it('gives every option a letter and a shape besides its colour, and answers on tap', async () => {
    const onanswer = vi.fn();
    const { container } = render(AnswerPad, { question: singleQuestion, disabled: false, chosen: null, onanswer });
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'A 10 tháng 10',
      'B 2 tháng 9',
      'C 1 tháng 6',
      'D 20 tháng 11',
    ]);
    expect(container.querySelectorAll('svg.shape')).toHaveLength(4);
    await fireEvent.click(buttons[1]!);
    expect(onanswer).toHaveBeenCalledWith(1);
  });

  it('true/false uses Đ/S with a tick and a cross; 0 means true', async () => {
    const onanswer = vi.fn();
    render(AnswerPad, { question: trueFalse, disabled: false, chosen: null, onanswer });
    await fireEvent.click(screen.getByRole('button', { name: /Sai/ }));
    expect(onanswer).toHaveBeenCalledWith(1);
    expect(screen.getByRole('button', { name: /Đúng/ }).textContent).toContain('Đ');
  });

  it('multiple choice toggles options and submits the sorted list', async () => {
    const onanswer = vi.fn();
    render(AnswerPad, { question: multiple, disabled: false, chosen: null, onanswer });
    const submit = screen.getByRole('button', { name: 'Gửi câu trả lời' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: /Ba/ }));
    await fireEvent.click(screen.getByRole('button', { name: /Một/ }));
    expect(screen.getByRole('button', { name: /Ba/ }).getAttribute('aria-pressed')).toBe('true');
    await fireEvent.click(submit);
    expect(onanswer).toHaveBeenCalledWith([0, 2]);
  });

  it('numeric accepts a number in range (comma decimal too) and refuses one outside', async () => {
    const onanswer = vi.fn();
    render(AnswerPad, { question: numeric, disabled: false, chosen: null, onanswer });
    const input = screen.getByLabelText('Nhập một số') as HTMLInputElement;
    expect(input.inputMode).toBe('decimal');
    await fireEvent.input(input, { target: { value: '9' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi câu trả lời' }));
    expect(onanswer).not.toHaveBeenCalled();
    expect(screen.getByText('Vui lòng nhập một số từ 1 đến 5.')).toBeTruthy();
    await fireEvent.input(input, { target: { value: '2,5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi câu trả lời' }));
    expect(onanswer).toHaveBeenCalledWith(2.5);
  });

  it('disabled buttons do not answer and the chosen one is marked pressed', async () => {
    const onanswer = vi.fn();
    render(AnswerPad, { question: singleQuestion, disabled: true, chosen: 2, onanswer });
    await fireEvent.click(screen.getAllByRole('button')[0]!);
    expect(onanswer).not.toHaveBeenCalled();
    expect(screen.getAllByRole('button')[2]!.getAttribute('aria-pressed')).toBe('true');
  });

  it('the on-screen number pad types digits, a decimal comma and deletes', async () => {
    const onanswer = vi.fn();
    render(AnswerPad, { question: numeric, disabled: false, chosen: null, onanswer });
    for (const name of ['3', 'Dấu phẩy thập phân', '7', '5', 'Xoá một chữ số'])
      await fireEvent.click(screen.getByRole('button', { name }));
    expect((screen.getByLabelText('Nhập một số') as HTMLInputElement).value).toBe('3,7');
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi câu trả lời' }));
    expect(onanswer).toHaveBeenCalledWith(3.7);
  });
});
