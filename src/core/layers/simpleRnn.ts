/** SimpleRNN: h_t = activation(W x_t + U h_{t-1} + b). Params u(i+u+1). */
import { defineLayer } from './define.ts';
import { recurrentLayer } from './recurrent.ts';

export const SimpleRNN = defineLayer(recurrentLayer('SimpleRNN', {
  defaultName: 'simple_rnn',
  help: 'Fully-connected recurrent layer: the basic RNN of the lesson, h_t = tanh(W·x_t + U·h_(t-1) + b).',
}));
