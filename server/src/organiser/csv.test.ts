import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

const body = (csv: string) => csv.slice(1).split('\r\n').slice(1, -1);

describe(toCsv.name, () => {
  it('starts with a UTF-8 BOM and ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('\uFEFFa,b\r\n1,x\r\n');
  });

  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    [-5, "'-5"],
    ['Nguyễn Văn Ân', 'Nguyễn Văn Ân'],
    ['a, b', '"a, b"'],
    ['line\nbreak', '"line\nbreak"'],
    [null, ''],
    [undefined, ''],
    [0, '0'],
  ])('writes %j as %s', (value, cell) => {
    expect(body(toCsv(['v'], [[value]]))).toEqual([cell]);
  });
});
