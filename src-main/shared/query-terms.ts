/**
 * The query grammar the CLI, the core and the search box share ([Note: Negative terms] in
 * core/search/query-text.ts): the positive words, and "-word" or -"a phrase" terms to leave out.
 */
export interface ParsedQuery {
  positive: string;
  negatives: string[];
}

/** Splits a query into its positive text and its "-" terms. */
export function splitQueryTerms(query: string): ParsedQuery {
  const negatives: string[] = [];
  const positive = query
    .replace(/(^|\s)-"([^"]+)"/g, (_match, lead: string, phrase: string) => {
      negatives.push(phrase.trim());
      return lead;
    })
    .replace(/(^|\s)-(\S*)/g, (_match, lead: string, word: string) => {
      negatives.push(word.replace(/^"+|"+$/g, ''));
      return lead;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return { positive, negatives: negatives.filter((term) => term.length > 0) };
}

/** The query text for `parsed`: the positive words, then each "-" term (a phrase in quotes). */
export function joinQueryTerms({ positive, negatives }: ParsedQuery): string {
  const terms = negatives.map((term) => (/\s/.test(term) ? `-"${term}"` : `-${term}`));
  return [positive, ...terms].filter((part) => part.length > 0).join(' ');
}
