import type { Command, Option } from 'commander';

/**
 * [Note: Negative terms on the command line] `photoseek search beach -people` means "beach without
 * people" ([Note: Negative terms]), but commander reads every word that starts with "-" as an
 * option: "-people" was an unknown option and "-nature" even parsed as `-n ature`. Before
 * commander sees the words of `search`, every word that starts with "-" and is not one of its
 * options (or an option's value) is moved behind a `--`, where commander takes words as they are.
 * Moving them is harmless: the query's meaning does not depend on where a "-" term stands. A
 * short option written with its value attached counts as the option only when the value starts
 * with a digit (`-n5`). Words already behind a `--` typed by the user are left alone. (Every
 * option of the CLI that takes a value requires it, `<value>`; optional values are not handled.)
 */
export function protectNegativeTerms(argv: readonly string[], program: Command): string[] {
  const start = commandIndex(argv, program, 'search');
  if (start === -1) return [...argv];
  const search = program.commands.find((command) => command.name() === 'search')!;
  const options = [...search.options, ...program.options];
  const kept: string[] = argv.slice(0, start + 1);
  const terms: string[] = [];
  let rest = argv.slice(start + 1);
  while (rest.length > 0) {
    const [word, ...after] = rest as [string, ...string[]];
    rest = after;
    if (word === '--') {
      terms.push(...rest);
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      kept.push(word);
      continue;
    }
    const option = matchOption(word, options);
    if (option === 'help') {
      kept.push(word);
    } else if (option) {
      kept.push(word);
      if (takesSeparateValue(word, option) && rest.length > 0) kept.push(rest.shift()!);
    } else {
      terms.push(word);
    }
  }
  return terms.length > 0 ? [...kept, '--', ...terms] : kept;
}

/** The words of a variadic `<text...>` as one query; a "-" word with spaces becomes a -"phrase". */
export function joinQueryWords(words: readonly string[]): string {
  return words
    .map((word) => (/^-[^"]*\s/.test(word) ? `-"${word.slice(1).trim()}"` : word))
    .join(' ');
}

/** Position of the subcommand `name` in argv (after global options and their values), or -1. */
function commandIndex(argv: readonly string[], program: Command, name: string): number {
  for (let index = 2; index < argv.length; index++) {
    const word = argv[index]!;
    if (word === '--') return -1;
    if (!word.startsWith('-')) return word === name ? index : -1;
    const option = matchOption(word, program.options);
    if (option && option !== 'help' && takesSeparateValue(word, option)) index++;
  }
  return -1;
}

function matchOption(word: string, options: readonly Option[]): Option | 'help' | undefined {
  if (word === '-h' || word === '--help') return 'help';
  return options.find((option) => {
    if (word === option.short || word === option.long) return true;
    if (option.long && word.startsWith(`${option.long}=`)) return true;
    const short = option.short;
    return (
      option.required &&
      short !== undefined &&
      word.startsWith(short) &&
      /^\d/.test(word.slice(short.length))
    );
  });
}

/** Whether the option's value is the next word (`--limit 5`), not part of this one (`--limit=5`). */
function takesSeparateValue(word: string, option: Option): boolean {
  return option.required && (word === option.short || word === option.long);
}
