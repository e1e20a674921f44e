import { describe, expect, it } from 'vitest';
import { Question } from './contest';

const question = (url: string) => ({
  id: 'q',
  type: 'true-false',
  text: 'Đúng không?',
  correct: true,
  explanation: 'Vì.',
  source: { title: 'Nguồn', url },
  area: 'safety',
});

describe('a question source link', () => {
  it.each(['https://chinhphu.vn/van-ban', 'http://example.vn/a?b=1'])('accepts %s', (url) => {
    expect(Question.safeParse(question(url)).success).toBe(true);
  });

  // Phones render the link: a script or data URL would run in the contestant's page when tapped.
  it.each([
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.vn/x',
  ])('refuses %s with a Vietnamese message', (url) => {
    const parsed = Question.safeParse(question(url));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['source', 'url'],
      message: expect.stringContaining('http://'),
    });
  });
});
