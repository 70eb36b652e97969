% make_vl_fixtures -- VBA references for the kit's variational Laplace engine (src/lib/models/bayes/vl.ts).
%
% HOW TO RERUN (from the repository root; takes about 2 minutes):
%   1. A local copy of VBA-toolbox (GPL-3.0, used outside the repository, never vendored), e.g.
%        git clone https://github.com/MBB-team/VBA-toolbox /work/tools/VBA-toolbox
%      The committed fixtures were made with commit 5899497f5d0bb4d3ed28245a2ce751602826e027 and GNU Octave 7.3.
%   2. Octave 7 patch of that copy (Octave 7 has no sum(x, 'all', 'omitnan')): in utils/VBA_r2.m and
%      utils/VBA_accuracy.m, subfunction sumall, replace  s = sum (z, 'all', 'omitnan');  by  s = sum (z(~isnan(z)));
%      (only the R2/accuracy diagnostics of out.fit use it; the inversion itself is unchanged).
%   3. Optional, for the numeric-gradient check: Greaves' code (no licence: read and run, do not copy),
%        git clone https://github.com/mdgreaves/belief-updating-model /work/tools/greaves   (commit 630585a)
%   4. VBA_PATH=/work/tools/VBA-toolbox GREAVES_PATH=/work/tools/greaves octave --no-gui test/octave/make_vl_fixtures.m
% Writes test/fixtures/bayes/vl-simulated.json and test/fixtures/bayes/vl-study.json, read by
% test/lib/models/bayes/vl-vba.test.ts.
%
% What is inverted: the four models of g_belief_update.m (analytic gradients) with VBA_NLStateSpaceModel, default
% VBA options, under the 'kit' and 'greaves' priors of kit_prior.m; E1, BR, E2 in percentage points exactly as in
% the data (0-100 scale, not rescaled); N = +1 good / -1 bad news given to g as an input. Static layout (one time
% sample, the trials stacked in one column); a few sessions are also inverted in Greaves' time-series layout
% (y 1 x T) and with Greaves' own upd_model.m (numerical gradients), and the differences stored.
1;
here = fileparts(mfilename('fullpath'));
addpath(here);
info = setup_vba_paths();
root = fileparts(fileparts(here));
outdir = fullfile(root, 'test', 'fixtures', 'bayes');
models = {'exp-asymmetry', 'signed-asymmetry', 'single', 'ee-scaled'};
presets = {'kit', 'greaves'};

function s = sim_session(id, T, lrfun, sd, opts)
  % E1, BR integer percentages 5..95 (or continuous 0..100), V = -1 unless opts.V given; E2 = E1 + LR EE + noise.
  if opts.continuous
    E1 = 100 * rand(1, T); BR = 100 * rand(1, T);
  else
    E1 = zeros(1, T); BR = zeros(1, T);
    for t = 1:T
      e1 = randi([5 95]); br = e1;
      while br == e1, br = randi([5 95]); end
      E1(t) = e1; BR(t) = br;
    end
  end
  if isfield(opts, 'goodOnly') && opts.goodOnly
    hi = max(E1, BR); lo = min(E1, BR); E1 = hi; BR = lo;  % BR < E1: good news for a negative event
  end
  if isfield(opts, 'V'), V = opts.V(T); else, V = -ones(1, T); end
  N = sign(BR - E1) .* V;
  E2 = E1 + lrfun(N, abs(BR - E1)) .* (BR - E1) + sd * randn(1, T);
  if ~opts.continuous, E2 = min(100, max(0, round(E2))); end
  s = struct('id', id, 'source', 'simulated', 'participant_id', '', 'session', '', 'E1', E1, 'BR', BR, 'E2', E2, 'N', N, ...
             'truth', struct('sd', sd), 'n_skipped', 0);
end

function r = fit_record(k, model, preset, layout, post, out)
  r = struct('session_index', k - 1, 'model', model, 'preset', preset, 'layout', layout, ...
             'mu', post.muPhi(:)', 'Sigma', post.SigmaPhi, 'a_sigma', post.a_sigma, 'b_sigma', post.b_sigma, ...
             'F', out.F, 'it', out.it, 'CV', abs(out.suffStat.F(end) - out.suffStat.F(end - 1)) <= out.options.TolFun);  % VBA_wrapup drops out.CV
end

function fits = invert_all(S, models, presets)
  fits = {};
  for k = 1:numel(S)
    for m = 1:numel(models)
      for q = 1:numel(presets)
        pr = kit_prior(models{m}, presets{q});
        [post, out] = vba_invert_session(models{m}, S(k).E1, S(k).BR, S(k).E2, S(k).N, pr, 'static');
        fits{end + 1} = fit_record(k, models{m}, presets{q}, 'static', post, out);
      end
    end
  end
end

function extra = layout_and_numeric_checks(S, idx, models, info)
  extra = {};
  for k = idx
    for m = 1:numel(models)
      pr = kit_prior(models{m}, 'greaves');
      [post, out] = vba_invert_session(models{m}, S(k).E1, S(k).BR, S(k).E2, S(k).N, pr, 'timeseries');
      extra{end + 1} = fit_record(k, models{m}, 'greaves', 'timeseries', post, out);
    end
    if ~isempty(info.greaves_path)
      % Greaves' own wrapper and observation function: u = [BR; E1; V], numerical gradients (VBA_numericDiff).
      V = S(k).N .* sign(S(k).BR - S(k).E1);
      [post, out] = upd_invert(S(k).E2, [S(k).BR; S(k).E1; V]);
      extra{end + 1} = fit_record(k, 'exp-asymmetry', 'greaves', 'greaves-upd_model-numeric-gradients', post, out);
    end
  end
end

function write_fixture(file, sessions, fits, extra, info, note)
  meta = struct('generated_by', 'test/octave/make_vl_fixtures.m', ...
                'vba', 'MBB-team/VBA-toolbox@5899497f5d0bb4d3ed28245a2ce751602826e027 (Octave 7 patch of VBA_r2.m, VBA_accuracy.m)', ...
                'greaves', 'mdgreaves/belief-updating-model@630585a (upd_invert.m, upd_model.m)', ...
                'octave', info.octave_version, 'date', datestr(now, 'yyyy-mm-dd'), ...
                'options', 'VBA defaults: TolFun 2e-2, GnTolFun 1e-5, MaxIter 32, GnMaxIter 32, MinIter 0', ...
                'data_scale', 'E1, BR, E2 in percentage points (0-100) as in trials.csv; N = +1 good, -1 bad news', 'note', note);
  pri = struct();
  models = {'exp-asymmetry', 'signed-asymmetry', 'single', 'ee-scaled'};
  for q = {'kit', 'greaves'}
    for m = 1:4
      pr = kit_prior(models{m}, q{1});
      pri.(q{1}).(strrep(models{m}, '-', '_')) = struct('mean', pr.mean(:)', 'covariance', pr.covariance, 'shape', pr.shape, 'rate', pr.rate);
    end
  end
  doc = struct('meta', meta, 'priors', pri, 'sessions', {num2cell(sessions)}, 'fits', {fits}, 'checks', {extra});
  fid = fopen(file, 'w'); fprintf(fid, '%s', jsonencode(doc)); fclose(fid);
  printf('wrote %s (%d sessions, %d fits, %d checks)\n', file, numel(sessions), numel(fits), numel(extra));
end

% ---------------------------------------------------------------- simulated participant-sessions
rand('twister', 20240601); randn('twister', 20240601);
c = struct('continuous', false);
lr2 = @(g, b) @(N, ae) (N > 0) .* g + (N < 0) .* b;
S = sim_session('typical', 40, lr2(0.6, 0.35), 6, c);
S(end + 1) = sim_session('bad-over-good', 40, lr2(0.3, 0.6), 6, c);
S(end + 1) = sim_session('low-noise', 40, lr2(0.5, 0.3), 1.5, struct('continuous', true));
S(end + 1) = sim_session('wide-ee', 40, lr2(0.45, 0.25), 10, struct('continuous', true));
S(end + 1) = sim_session('short', 8, lr2(0.5, 0.4), 5, c);
S(end + 1) = sim_session('good-only', 30, lr2(0.5, 0.3), 6, struct('continuous', false, 'goodOnly', true));
S(end + 1) = sim_session('no-asymmetry', 40, lr2(0.45, 0.45), 6, c);
S(end + 1) = sim_session('ee-generated', 40, @(N, ae) (ae / 5) * 0.08 + N * 0.05, 5, c);
S(end + 1) = sim_session('greaves-upd_sim', 40, @(N, ae) 0.5 + 0.2 * N, 5, struct('continuous', true, 'V', @(T) sign(randn(1, T))));
S(end + 1) = sim_session('overshoot', 40, lr2(1.2, 0.9), 6, c);
tic;
fits = invert_all(S, models, presets);
extra = layout_and_numeric_checks(S, [1 9], models, info);
printf('simulated: %.1f s\n', toc);
write_fixture(fullfile(outdir, 'vl-simulated.json'), S, fits, extra, info, ...
  'simulated participant-sessions (rand/randn twister seed 20240601); truth.sd is the generating noise SD');

% ---------------------------------------------------------------- the bundled synthetic study
St = read_study_sessions(fullfile(root, 'data', 'ketamine-trd', 'trials.csv'));
for k = 1:numel(St)
  St(k).id = sprintf('%s/%s', St(k).participant_id, St(k).session);
  St(k).source = 'study';
  St(k).truth = struct('sd', NaN);
end
St = orderfields(St, S(1));
tic;
fits = invert_all(St, models, presets);
extra = layout_and_numeric_checks(St, 1:3, models, info);
printf('study: %.1f s\n', toc);
write_fixture(fullfile(outdir, 'vl-study.json'), St, fits, extra, info, ...
  'every participant-session of data/ketamine-trd/trials.csv (all events negative, V = -1); trials with a missing value or E1 = BR skipped');
