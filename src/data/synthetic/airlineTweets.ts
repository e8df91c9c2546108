/**
 * Synthetic airline tweets in the style of the Keras lesson's Twitter US Airline Sentiment data
 * (which is not redistributable): short texts mentioning an airline, labelled positive, negative
 * or neutral, run through the lesson's own pipeline (TextVectorization(max_tokens=1000) adapted on
 * the training texts, StringLookup(['positive', 'negative', 'neutral'], num_oov_indices=0)).
 * Sentiment comes from a few cue phrases among shared filler, with some label noise, so the
 * task is learnable but not trivial. Seeded: same seed, same tweets.
 */
import { mulberry32 } from '../random.ts';
import { buildTextClassification, type TextLabel } from '../textClassification.ts';
import type { Dataset } from '../tasks.ts';
import { SYNTHETIC_LICENCE, SYNTHETIC_SOURCE, type SyntheticOptions } from './common.ts';

export const AIRLINE_LABELS = ['positive', 'negative', 'neutral'] as const;

const AIRLINES = ['@united', '@americanair', '@southwestair', '@jetblue', '@usairways', '@virginamerica'];
const SUBJECTS = ['the flight', 'my flight', 'the crew', 'the gate agent', 'the pilot', 'customer service', 'the app', 'the connection', 'the upgrade', 'the seat', 'boarding', 'the lounge'];
const CUES: Record<(typeof AIRLINE_LABELS)[number], readonly string[]> = {
  positive: ['was great', 'was amazing', 'thank you so much', 'love it', 'was on time', 'was so helpful', 'best trip ever', 'awesome service', 'really friendly', 'made my day'],
  negative: ['was delayed again', 'is the worst', 'lost my bag', 'was cancelled', 'was so rude', 'still waiting', 'never again', 'terrible service', 'stuck on hold for hours', 'missed my connection'],
  neutral: ['leaves at noon', 'is it on time', 'any news', 'can i change it', 'which gate', 'do you fly to denver', 'how much is a bag', 'what time is boarding', 'is wifi available', 'where do i check in'],
};
const FILLERS = ['today', 'tonight', 'this morning', 'from boston', 'to chicago', 'flight 1234', 'again', 'btw', 'http://t.co/x', '#travel', 'lol', '&amp; my family'];

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

/** Raw labelled tweets with a confidence like the lesson's `airline_sentiment_confidence`. */
export function airlineTweets(size: number, seed: number): (TextLabel & { confidence: number })[] {
  const rand = mulberry32(seed);
  const out: (TextLabel & { confidence: number })[] = [];
  for (let k = 0; k < size; k++) {
    // Class balance close to the real data: mostly negative.
    const r = rand();
    const label = r < 0.6 ? 'negative' : r < 0.82 ? 'neutral' : 'positive';
    const parts = [pick(rand, AIRLINES), pick(rand, SUBJECTS), pick(rand, CUES[label])];
    if (rand() < 0.6) parts.push(pick(rand, FILLERS));
    if (rand() < 0.3) parts.splice(1, 0, pick(rand, FILLERS));
    const noisy = rand() < 0.08;
    out.push({
      text: parts.join(' ') + (rand() < 0.3 ? '!' : ''),
      label: noisy ? pick(rand, AIRLINE_LABELS) : label,
      confidence: noisy ? 0.3 + 0.2 * rand() : 0.55 + 0.45 * rand(),
    });
  }
  return out;
}

/** The lesson's pipeline on synthetic tweets: confidence > 0.5 kept, 60/20/20 split, max_tokens=1000. */
export function airlineSentiment(options: SyntheticOptions = {}): Dataset {
  const seed = options.seed ?? 0;
  const items = airlineTweets(options.size ?? 3000, seed).filter((t) => t.confidence > 0.5);
  return buildTextClassification(items, {
    id: 'airline-sentiment',
    name: 'Airline tweets (synthetic)',
    description: 'Tweets to airlines labelled positive / negative / neutral, made like the Keras lesson\'s Twitter airline data; low-confidence labels (≤ 0.5) dropped.',
    source: SYNTHETIC_SOURCE,
    licence: SYNTHETIC_LICENCE,
    labels: AIRLINE_LABELS,
    maxTokens: 1000,
    fractions: options.fractions,
    seed,
  }).dataset;
}
