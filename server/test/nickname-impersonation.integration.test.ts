// Attack test: a phone tries to impersonate a contestant with a look-alike nickname or to flood the lobby with zalgo.
import { describe, expect, it } from 'vitest';
import { createGame, joinPlayer, login, TestClient } from './clients';
import { testServers } from './servers';

const start = testServers('nickname-impersonation', 'server/test/contests');

describe('nickname impersonation', () => {
  it('refuses a Cyrillic twin of a joined nickname, Cyrillic profanity and zalgo text; Vietnamese names pass', async () => {
    const { url, organiserPassword } = await start('memory');
    const { pin } = await createGame(url, await login(url, organiserPassword), 'quick', 'dai');
    const lan = await joinPlayer(url, pin, 'Lan');
    const attempts: [string, string][] = [
      ['L\u0430n', 'NICKNAME_TAKEN'], // Cyrillic а
      ['LAN', 'NICKNAME_TAKEN'], // case
      ['fu\u0441k', 'NICKNAME_REJECTED'], // Cyrillic с
      [`An${'\u0300\u0316'.repeat(11)}`, 'NICKNAME_REJECTED'], // 22 combining marks
    ];
    const got: Record<string, string> = {};
    for (const [nickname] of attempts) {
      const phone = await new TestClient(url, '/play').connected();
      const ack = await phone.emit('player:join', { pin, nickname, group: 'nguoi-dan', consent: true });
      phone.close();
      got[nickname] = ack.ok ? 'ok' : ack.error.code;
    }
    expect(got).toEqual({
      'L\u0430n': 'NICKNAME_TAKEN',
      LAN: 'NICKNAME_TAKEN',
      'fu\u0441k': 'NICKNAME_REJECTED',
      [`An${'\u0300\u0316'.repeat(11)}`]: 'NICKNAME_REJECTED',
    });
    const viet = await joinPlayer(url, pin, 'Phượng Ệ');
    expect(viet.join.me.nickname).toBe('Phượng Ệ');
    lan.client.close();
    viet.client.close();
  });
});
