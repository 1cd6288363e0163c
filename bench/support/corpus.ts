/**
 * Deterministic synthetic help-desk text: a Zipf-like vocabulary so that some words are everywhere
 * (hard searches) and most are rare (typical searches), plus names, products and invoice numbers.
 */
export const rng = (seed: number) => {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
};

const syllables = ['ka', 'lo', 'mi', 'ne', 'ra', 'tu', 'vi', 'so', 'pe', 'da', 'gu', 'fi', 'ho', 'ze', 'bu', 'ri', 'ta', 'mo', 'le', 'xi'];
const common = [
  'the', 'invoice', 'order', 'please', 'help', 'account', 'password', 'login', 'error', 'printer', 'delivery', 'refund', 'payment',
  'customer', 'support', 'ticket', 'update', 'thanks', 'problem', 'again', 'today', 'yesterday', 'issue', 'screen', 'email',
  'phone', 'contract', 'license', 'server', 'network', 'backup', 'report', 'missing', 'wrong', 'total', 'shipping', 'address',
];

export const vocabulary = (() => {
  const random = rng(7);
  const words = new Set<string>(common);
  while (words.size < 20_000) {
    const n = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < n; i++) word += syllables[Math.floor(random() * syllables.length)];
    words.add(word);
  }
  return [...words];
})();

/** Index drawn with a Zipf-ish skew: low indexes (common words) far more often. */
export const zipfWord = (random: () => number) => vocabulary[Math.min(vocabulary.length - 1, Math.floor(Math.pow(random(), 3) * vocabulary.length))]!;

export const sentence = (random: () => number, words: number) => {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(zipfWord(random));
  return out.join(' ');
};

const firstNames = ['Anna', 'Björn', 'Carla', 'Dmitri', 'Elif', 'François', 'Greta', 'Hiro', 'Ingrid', 'José', 'Kaito', 'Lena', 'Mateo', 'Nora', 'Øystein', 'Priya', 'Quentin', 'Rosa', 'Søren', 'Tomás'];
const lastNames = ['Andersson', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Hansen', 'Ivanova', 'Jensen', 'Kowalski', 'López', 'Müller', 'Novak', 'Olsen', 'Petrov', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka'];
export const personName = (random: () => number) =>
  `${firstNames[Math.floor(random() * firstNames.length)]} ${lastNames[Math.floor(random() * lastNames.length)]}${Math.floor(random() * 1000)}`;
