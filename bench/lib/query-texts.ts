/** Distinct, ordinary search texts: no two benchmark queries repeat (a cache would hide the model). */
const SUBJECTS = [
  'dog',
  'cat',
  'beach',
  'mountain',
  'birthday cake',
  'red car',
  'bicycle',
  'sunset',
  'snow',
  'wedding',
  'city at night',
  'forest',
  'boat',
  'flowers',
  'child playing',
  'kitchen',
  'book',
  'guitar',
  'horse',
  'bridge',
  'waterfall',
  'pizza',
  'train station',
  'old church',
  'desert',
  'fireworks',
  'garden',
  'lake',
  'market',
  'museum',
];
const TEMPLATES = ['a photo of a {}', '{} in the afternoon', 'my {} last summer', 'blurry {}'];

export function queryTexts(count: number): string[] {
  const texts: string[] = [];
  for (let i = 0; texts.length < count; i++) {
    const template = TEMPLATES[Math.floor(i / SUBJECTS.length) % TEMPLATES.length]!;
    const round = Math.floor(i / (SUBJECTS.length * TEMPLATES.length));
    texts.push(
      template.replace('{}', SUBJECTS[i % SUBJECTS.length]!) + (round > 0 ? ` ${round}` : ''),
    );
  }
  return texts;
}
