import { describe, expect, it } from 'vitest';
import { MAX_QUERY_CHARS, parseQueryText } from '../../../src-main/core/search/query-text';
import { PhotoseekError } from '../../../src-main/shared/errors';

describe('query text', () => {
  it('splits positive text from "-" terms and phrases', () => {
    expect(parseQueryText('beach -people -"parking lot" at dusk')).toEqual({
      positive: 'beach at dusk',
      negatives: ['parking lot', 'people'],
    });
    expect(parseQueryText('t-shirt')).toEqual({ positive: 't-shirt', negatives: [] });
  });

  it('drops a lone "-" and empty exclusions, leaving no positive text to embed', () => {
    expect(parseQueryText('-')).toEqual({ positive: '', negatives: [] });
    expect(parseQueryText('red - -""')).toEqual({ positive: 'red', negatives: [] });
  });

  it('refuses a query over MAX_QUERY_CHARS with BAD_ARGUMENT and says why', () => {
    expect(parseQueryText('a'.repeat(MAX_QUERY_CHARS)).positive).toHaveLength(MAX_QUERY_CHARS);
    const attempt = () => parseQueryText('a'.repeat(40_000));
    expect(attempt).toThrow(PhotoseekError);
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'BAD_ARGUMENT',
        message: expect.stringMatching(/40,000 characters.*at most 1,000.*first 75 words/),
      }),
    );
  });
});
