/** Shapes as people type them into the Input's shape field. */
import { describe, expect, it } from 'vitest';
import { checkParam, parseShapeText, type ParamSpec } from './params.ts';

describe('parseShapeText', () => {
  it('reads Python tuples, lists and plain lists of sizes', () => {
    for (const t of ['10, 2', '(10, 2)', '[10, 2]', '10 2', ' 10,2 ', '(10,2,)', '10×2', '10x2', '10 , 2']) expect(parseShapeText(t), t).toEqual({ ok: true, shape: [10, 2] });
    expect(parseShapeText('None, 12')).toEqual({ ok: true, shape: [null, 12] });
    expect(parseShapeText('(None,)')).toEqual({ ok: true, shape: [null] });
    expect(parseShapeText('none 12')).toEqual({ ok: true, shape: [null, 12] });
    expect(parseShapeText('?, 40, 1')).toEqual({ ok: true, shape: [null, 40, 1] });
    expect(parseShapeText('12')).toEqual({ ok: true, shape: [12] });
  });

  it('says what it could not read and how to write it', () => {
    expect(parseShapeText('')).toEqual({ ok: false, message: 'Write the size of each axis, e.g. 10, 2 or None, 12' });
    expect(parseShapeText('()')).toMatchObject({ ok: false });
    expect(parseShapeText('10, two')).toEqual({ ok: false, message: '"two" is not a size: use whole numbers or None, e.g. 10, 2 or None, 12' });
    expect(parseShapeText('1.5, 2')).toMatchObject({ ok: false, message: expect.stringContaining('"1.5"') });
    expect(parseShapeText('-1, 2')).toMatchObject({ ok: false, message: expect.stringContaining('"-1"') });
  });

  it('limits stay checkParam\'s', () => {
    const spec: ParamSpec = { name: 'shape', type: 'shape', default: [null, 12], help: '' };
    const zero = parseShapeText('0, 2');
    expect(zero).toEqual({ ok: true, shape: [0, 2] });
    expect(checkParam(spec, zero.ok ? zero.shape : null)).toMatch(/whole number ≥ 1 or None/);
  });
});
