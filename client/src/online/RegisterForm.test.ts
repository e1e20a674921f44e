import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { OnlineContestInfo, Registered } from '../../../protocol/online';
import type { HttpResult } from '../lib/http';
import type { OnlineApi } from './api';
import RegisterForm from './RegisterForm.svelte';

const units = Array.from({ length: 26 }, (_, i) => ({
  id: `phuong-${i}`,
  name: i === 17 ? 'Phường Lê Chân' : `Phường Số ${i}`,
  kind: 'ward' as const,
}));
const info = {
  id: 'thu',
  title: 'Thử',
  organiser: 'BTC',
  description: '',
  privacyNotice: 'Chúng tôi lưu họ tên và số điện thoại.',
  personalDataRetentionDays: 90,
  maskNames: true,
  groups: [
    { id: 'nguoi-dan', label: 'Người dân' },
    { id: 'hoc-sinh', label: 'Học sinh, sinh viên' },
  ],
  units,
  rounds: [],
  prizes: { individual: [], perGroup: [], collective: [] },
  serverTime: 0,
} satisfies OnlineContestInfo;

function setup(reply: HttpResult<Registered>) {
  const register = vi.fn(async () => reply);
  const onregistered = vi.fn();
  render(RegisterForm, {
    info,
    api: { register } as unknown as OnlineApi,
    onregistered,
    onresume: vi.fn(),
    oncancel: vi.fn(),
  });
  return { register, onregistered };
}

async function fillValid() {
  await fireEvent.input(screen.getByLabelText('Họ và tên'), { target: { value: 'Nguyễn Văn An' } });
  await fireEvent.input(screen.getByLabelText('Số điện thoại di động'), { target: { value: '0912345678' } });
  await fireEvent.click(screen.getByRole('radio', { name: 'Người dân' }));
  await fireEvent.click(screen.getByRole('radio', { name: 'Phường Lê Chân' }));
  await fireEvent.click(screen.getByRole('checkbox'));
}

describe('RegisterForm', () => {
  it('lists every unit (26), filters without diacritics, and leaves the consent box unticked', async () => {
    setup({ ok: true, data: {} as Registered });
    // Plain selectors: role queries over 26 radios are slow in jsdom on a busy machine.
    const unitRadios = () => [...document.querySelectorAll<HTMLInputElement>('input[name="unit"]')].map((r) => r.value);
    expect(unitRadios()).toHaveLength(26);
    expect((screen.getByRole('checkbox') as HTMLInputElement).checked).toBe(false);
    await fireEvent.input(screen.getByLabelText('Gõ vài chữ để lọc danh sách'), { target: { value: 'le chan' } });
    expect(unitRadios()).toEqual(['phuong-17']);
  });

  it('an empty submit sends nothing, marks the fields and focuses the first error', async () => {
    const { register } = setup({ ok: true, data: {} as Registered });
    await fireEvent.click(screen.getByRole('button', { name: 'Đăng ký' }));
    await waitFor(() => expect(document.activeElement?.id).toBe('full-name'));
    expect(register).not.toHaveBeenCalled();
    expect(screen.getByText('Vui lòng chọn đơn vị.')).toBeTruthy();
    expect(screen.getByText('Bạn cần đánh dấu ô đồng ý để đăng ký.')).toBeTruthy();
  });

  it("puts the server's PHONE_INVALID under the phone field and focuses it", async () => {
    const { register } = setup({
      ok: false,
      error: { code: 'PHONE_INVALID', message: 'x', status: 400, body: null },
    });
    await fillValid();
    await fireEvent.click(screen.getByRole('button', { name: 'Đăng ký' }));
    await waitFor(() => expect(document.activeElement?.id).toBe('phone'));
    expect(register).toHaveBeenCalledWith({
      fullName: 'Nguyễn Văn An',
      phone: '0912345678',
      group: 'nguoi-dan',
      unit: 'phuong-17',
      consent: true,
    });
    expect(screen.getByText(/Số điện thoại không hợp lệ/)).toBeTruthy();
  });

  it('hands the token and the code on after registering', async () => {
    const { onregistered } = setup({
      ok: true,
      data: { token: 'tok_0123456789abcdef', code: 'K7M2QX', contestant: {} as Registered['contestant'] },
    });
    await fillValid();
    await fireEvent.input(screen.getByLabelText('Năm sinh (không bắt buộc)'), { target: { value: '1960' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Đăng ký' }));
    await waitFor(() => expect(onregistered).toHaveBeenCalledWith('tok_0123456789abcdef', 'K7M2QX'));
  });
});
