function [post, out] = vba_invert_session(model, E1, BR, E2, N, prior, layout)
% vba_invert_session -- invert one participant-session with VBA_NLStateSpaceModel.
%
% HOW TO RERUN: see the header of make_vl_fixtures.m (this file is a helper of it).
%
%   model: see g_belief_update.m; E1, BR, E2, N: vectors of the session's scored trials
%   (percentage points 0-100 exactly as in trials.csv, N = +1 good / -1 bad news);
%   prior: struct with fields mean (column), covariance, shape, rate;
%   layout: 'timeseries' (default; as Greaves' upd_invert.m: y is 1 x T, u is 3 x T, dim.p = 1)
%           or 'static' (one time sample: y is T x 1, u is one 3T x 1 column, dim.p = T).
%   VBA's default options (TolFun 2e-2, GnTolFun 1e-5, MaxIter 32, GnMaxIter 32, MinIter 0).
if nargin < 7, layout = 'timeseries'; end
T = numel(E2);
n_phi = numel(prior.mean);
options = struct();
options.priors.muPhi = prior.mean(:);
options.priors.SigmaPhi = prior.covariance;
options.priors.a_sigma = prior.shape;
options.priors.b_sigma = prior.rate;
options.DisplayWin = 0;
options.verbose = 0;
options.GnFigs = 0;
options.inG.model = model;
U = [BR(:)'; E1(:)'; N(:)'];
switch layout
  case 'timeseries'
    y = E2(:)';
    u = U;
    dim = struct('n', 0, 'n_theta', 0, 'n_phi', n_phi, 'p', 1, 'u', 3);
  case 'static'
    y = E2(:);
    u = U(:);
    dim = struct('n', 0, 'n_theta', 0, 'n_phi', n_phi, 'p', T, 'u', 3 * T);
  otherwise
    error('unknown layout %s', layout);
end
[post, out] = VBA_NLStateSpaceModel(y, u, [], @g_belief_update, dim, options);
end
