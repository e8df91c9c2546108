/**
 * GRU (Cho et al. 2014): update and reset gates, state h. Keras 3 defaults to reset_after=True:
 * params 3u(i+u+2) with a bias of shape (2, 3u); reset_after=False gives 3u(i+u+1).
 */
import { defineLayer } from './define.ts';
import { recurrentLayer } from './recurrent.ts';

export const GRU = defineLayer(recurrentLayer('GRU', {
  defaultName: 'gru',
  help: 'Gated Recurrent Unit: update and reset gates, one state h; lighter than LSTM.',
}));
