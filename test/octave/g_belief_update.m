function [gx, dgdx, dgdp] = g_belief_update(~, P, u, in)
% g_belief_update -- observation function of the kit's belief-update models for
% VBA_NLStateSpaceModel (static model: no hidden states), with analytic gradients.
%
% HOW TO RERUN: see the header of make_vl_fixtures.m (this file is a helper of it).
%
%   u = [BR; E1; N] for one trial (time-series layout, dim.p = 1), or those three rows
%   stacked trial after trial in one column (static layout, one time sample, dim.p = T).
%   N = +1 good news, -1 bad news (computed by the caller).
%   in.model: 'exp-asymmetry' | 'signed-asymmetry' | 'single' | 'ee-scaled'
%
%   E2_hat = E1 + LR * (BR - E1), with
%     exp-asymmetry    LR = exp(a) + N exp(b)             (Greaves' upd_model.m)
%     signed-asymmetry LR = exp(a) + N b
%     single           LR = exp(a)
%     ee-scaled        LR = (|BR - E1| / 5) exp(a) + N exp(b)
%
%   gx: T x 1 predictions; dgdx = [] (no states); dgdp: n_phi x T (VBA's layout, d g_t / d phi_i).
U  = reshape(u, 3, []);
BR = U(1, :)'; E1 = U(2, :)'; N = U(3, :)';
x  = BR - E1;
switch in.model
  case 'exp-asymmetry'
    A = exp(P(1)); B = exp(P(2));
    LR = A + N .* B;
    dgdp = [A .* x, B .* N .* x]';
  case 'signed-asymmetry'
    A = exp(P(1));
    LR = A + N .* P(2);
    dgdp = [A .* x, N .* x]';
  case 'single'
    A = exp(P(1));
    LR = A .* ones(size(x));
    dgdp = (A .* x)';
  case 'ee-scaled'
    A = exp(P(1)); B = exp(P(2));
    c = abs(x) ./ 5;
    LR = c .* A + N .* B;
    dgdp = [c .* A .* x, B .* N .* x]';
  otherwise
    error('g_belief_update: unknown model %s', in.model);
end
gx = E1 + LR .* x;
dgdx = [];
end
