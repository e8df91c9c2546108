/** LSTM (Hochreiter & Schmidhuber 1997, with forget gate): four gates, states h and c. Params 4u(i+u+1). */
import { defineLayer } from './define.ts';
import { recurrentLayer } from './recurrent.ts';

export const LSTM = defineLayer(recurrentLayer('LSTM', {
  defaultName: 'lstm',
  help: 'Long Short-Term Memory: input, forget and output gates keep a cell state c next to the hidden state h.',
}));
