import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrorCode, GameInfo } from '../../../protocol';
import { PlaySession, type PlaySocketLike } from '../lib/play-session.svelte';
import { FakeSocket } from '../test/fake-socket';
import { joinResult, lobby } from '../test/fixtures';
import JoinForm from './JoinForm.svelte';

const info: GameInfo = {
  pin: '123456',
  title: 'Thử nhanh – Công dân số',
  roundTitle: 'Vòng thử',
  privacyNotice: 'Chúng tôi chỉ lưu biệt danh.',
  groups: ['can-bo', 'hoc-sinh', 'nguoi-lao-dong', 'nguoi-dan'],
  units: [
    { id: 'so-khcn', name: 'Sở Khoa học và Công nghệ', kind: 'department' },
    { id: 'phuong-mau', name: 'Phường Mẫu', kind: 'ward' },
  ],
};

function setup(game: GameInfo = info) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(game), { status: 200 })),
  );
  const socket = new FakeSocket();
  socket.replies['player:join'] = () => ({ ok: true, data: joinResult(lobby()) });
  const session = new PlaySession(socket as unknown as PlaySocketLike, localStorage);
  render(JoinForm, { session, initialPin: '123456' });
  return { socket, session };
}

afterEach(() => vi.unstubAllGlobals());

describe('JoinForm', () => {
  it('shows the four target groups in Vietnamese and an unticked consent box', async () => {
    setup();
    await screen.findByRole('heading', { name: info.title });
    for (const label of [
      'Cán bộ, công chức, viên chức',
      'Học sinh, sinh viên',
      'Người lao động trong doanh nghiệp',
      'Người dân',
    ])
      expect(screen.getByRole('radio', { name: label })).toBeTruthy();
    const consent = screen.getByRole('checkbox') as HTMLInputElement;
    expect(consent.checked).toBe(false);
    expect(screen.getByText('Chúng tôi chỉ lưu biệt danh.')).toBeTruthy();
  });

  it('will not join without a nickname, a group and consent', async () => {
    const { socket } = setup();
    await screen.findByRole('heading', { name: info.title });
    await fireEvent.click(screen.getByRole('button', { name: 'Vào phòng' }));
    expect(socket.sent('player:join')).toHaveLength(0);
    expect(screen.getByText('Vui lòng nhập biệt danh.')).toBeTruthy();
    expect(screen.getByText('Vui lòng chọn nhóm đối tượng.')).toBeTruthy();
    expect(screen.getByText('Bạn cần đánh dấu ô đồng ý để tham gia.')).toBeTruthy();
  });

  it('filters units as you type, without diacritics, and joins with the payload the protocol wants', async () => {
    const { socket } = setup();
    await screen.findByRole('heading', { name: info.title });
    await fireEvent.input(screen.getByLabelText('Biệt danh'), { target: { value: '  Bà Lan ' } });
    await fireEvent.click(screen.getByRole('radio', { name: 'Người dân' }));
    await fireEvent.input(screen.getByLabelText('Gõ để tìm đơn vị'), { target: { value: 'phuong' } });
    expect(screen.queryByRole('radio', { name: 'Sở Khoa học và Công nghệ' })).toBeNull();
    await fireEvent.click(screen.getByRole('radio', { name: 'Phường Mẫu' }));
    await fireEvent.click(screen.getByRole('checkbox'));
    await fireEvent.click(screen.getByRole('button', { name: 'Vào phòng' }));
    await waitFor(() => expect(socket.sent('player:join')).toHaveLength(1));
    expect(socket.sent('player:join')[0]).toEqual({
      pin: '123456',
      nickname: 'Bà Lan',
      group: 'nguoi-dan',
      unit: 'phuong-mau',
      consent: true,
      device: localStorage.getItem('cds:device'),
    });
    expect(localStorage.getItem('cds:device')).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each<[ErrorCode, string]>([
    ['LOBBY_LOCKED', 'Phòng chờ đã đóng: vòng thi đã bắt đầu, không thể vào thêm. Vui lòng liên hệ ban tổ chức.'],
    ['RATE_LIMITED', 'Quá nhiều yêu cầu cùng lúc, vui lòng thử lại sau vài giây.'],
    ['KICKED', 'Người dẫn chương trình đã mời thiết bị này ra khỏi trò chơi; không thể vào lại.'],
  ])(
    'says why a join was refused (%s), in Vietnamese, and keeps the device id for the next try',
    async (code, message) => {
      const { socket } = setup();
      socket.replies['player:join'] = () => ({ ok: false, error: { code, message: 'x' } });
      await screen.findByRole('heading', { name: info.title });
      await fireEvent.input(screen.getByLabelText('Biệt danh'), { target: { value: 'Lan' } });
      await fireEvent.click(screen.getByRole('radio', { name: 'Người dân' }));
      await fireEvent.click(screen.getByRole('checkbox'));
      await fireEvent.click(screen.getByRole('button', { name: 'Vào phòng' }));
      expect(await screen.findByText(message)).toBeTruthy();
      const device = localStorage.getItem('cds:device');
      await fireEvent.click(screen.getByRole('button', { name: 'Vào phòng' }));
      await waitFor(() => expect(socket.sent('player:join')).toHaveLength(2));
      expect(socket.sent('player:join').map((p) => (p as { device: string }).device)).toEqual([device, device]);
    },
  );

  it('lists every unit of a 26-unit contest (none cut off) and focuses the first error after an empty submit', async () => {
    const units = Array.from({ length: 26 }, (_, i) => ({
      id: `don-vi-${i + 1}`,
      name: `Phường số ${i + 1}`,
      kind: 'ward' as const,
    }));
    setup({ ...info, units });
    await screen.findByRole('heading', { name: info.title });
    // The (optional) unit list is folded behind a button that shows all of it.
    expect(screen.queryByRole('radio', { name: units[0]!.name })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Xem cả danh sách (26 đơn vị)' }));
    for (const u of units) expect(screen.getByRole('radio', { name: u.name })).toBeTruthy();
    expect(screen.getByText('Đang hiện 26/26 đơn vị (kéo trong khung để xem hết)')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Vào phòng' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Biệt danh')));
    expect(screen.getByRole('alert').textContent).toContain('Còn mục chưa điền');
  });

  it('a final for invited contestants asks for the code instead of group and unit, and sends it', async () => {
    const { socket } = setup({ ...info, entry: 'invited' });
    await screen.findByRole('heading', { name: info.title });
    expect(screen.queryByRole('radio', { name: 'Người dân' })).toBeNull();
    expect(screen.queryByLabelText('Gõ để tìm đơn vị')).toBeNull();
    await fireEvent.input(screen.getByLabelText('Biệt danh'), { target: { value: 'Lan' } });
    await fireEvent.click(screen.getByRole('checkbox'));
    await fireEvent.click(screen.getByRole('button', { name: 'Vào phòng' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Mã mời vào chung kết')));
    expect(socket.sent('player:join')).toHaveLength(0);
    await fireEvent.input(screen.getByLabelText('Mã mời vào chung kết'), { target: { value: ' k7m2qhab ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Vào phòng' }));
    await waitFor(() => expect(socket.sent('player:join')).toHaveLength(1));
    expect(socket.sent('player:join')[0]).toMatchObject({ nickname: 'Lan', invitation: 'k7m2qhab', consent: true });
    expect(socket.sent('player:join')[0]).not.toHaveProperty('unit');
  });
});
