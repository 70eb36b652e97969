% make_bmc_fixtures -- VBA_groupBMC references for the kit's random-effects BMS (src/lib/models/bayes/bmc.ts).
%
% HOW TO RERUN (from the repository root; a few seconds):
%   1. VBA-toolbox as in the header of make_vl_fixtures.m (commit 5899497, Octave 7 patch of VBA_r2.m and
%      VBA_accuracy.m), plus its gamma sampler compiled for Octave (Octave has no gamrnd without the statistics
%      package, and VBA_ExceedanceProb falls back to this mex):
%        cd /work/tools/VBA-toolbox/thrid-party/spm && mkoctfile --mex VBA_spm_gamrnd.c
%   2. test/fixtures/bayes/vl-study.json must exist (make_vl_fixtures.m): its kit-prior free energies are one of
%      the log-evidence matrices compared here, per group x session (groups from participants.csv).
%   3. VBA_PATH=/work/tools/VBA-toolbox octave --no-gui test/octave/make_bmc_fixtures.m
% Writes test/fixtures/bayes/bmc.json, read by test/lib/models/bayes/bmc-vba.test.ts.
%
% For every matrix L (models x subjects) the fixture holds VBA_groupBMC's output (default options, DisplayWin 0)
% and reference exceedance probabilities: exact for two models (betainc), by quadrature for more
% (ep_k = int Gamma(x; a_k, 1) prod_{j ~= k} P(a_j, x) dx: on [0, 1] with x = u^(1/a_k), which removes the
% singularity at 0, and on [1, a_max + 40 sqrt(a_max) + 60] in x).
% VBA's own exceedance probabilities are Monte Carlo (1e5 Dirichlet samples from VBA_spm_gamrnd, whose
% Wichmann-Hill generator restarts from the same state in every Octave session).
1;
here = fileparts(mfilename('fullpath'));
addpath(here);
info = setup_vba_paths();
root = fileparts(fileparts(here));
outdir = fullfile(root, 'test', 'fixtures', 'bayes');

function ep = exact_ep(a)
  a = a(:); K = numel(a);
  if K == 1, ep = 1; return; end
  if K == 2, ep = [betainc(0.5, a(2), a(1)); betainc(0.5, a(1), a(2))]; return; end
  ep = zeros(K, 1);
  xmax = max(a) + 40 * sqrt(max(a)) + 60;   % Gamma(a, 1) has no mass to speak of beyond
  for k = 1:K
    others = a([1:k-1, k+1:K]);
    % [0, 1]: x = u^(1/a_k) removes the singularity of the density at 0 for a_k < 1; [1, xmax]: in x.
    f0 = @(u) exp(-(u .^ (1 / a(k))) - gammaln(a(k) + 1)) .* prodcdf(u .^ (1 / a(k)), others);
    f1 = @(x) exp((a(k) - 1) .* log(x) - x - gammaln(a(k))) .* prodcdf(x, others);
    ep(k) = integral(f0, 0, 1, 'AbsTol', 1e-15, 'RelTol', 1e-12) + ...
            integral(f1, 1, xmax, 'AbsTol', 1e-15, 'RelTol', 1e-12, 'Waypoints', a(k));
  end
end

function v = prodcdf(x, others)
  v = ones(size(x));
  for j = 1:numel(others)
    v = v .* gammainc(x, others(j));
  end
end

function c = run_case(name, L, families)
  opt = struct('DisplayWin', 0, 'verbose', 0);
  if ~isempty(families), opt.families = families; end
  [post, out] = VBA_groupBMC(L, opt);
  c = struct('name', name, 'L', L, 'families', {families}, ...
             'a', post.a(:)', 'r', post.r, 'Ef', out.Ef(:)', 'Vf', out.Vf(:)', 'ep_vba_mc', out.ep(:)', ...
             'ep_exact', exact_ep(post.a)', 'F', out.F, 'F0', out.F0, 'bor', out.bor, 'Fffx', out.Fffx, ...
             'pxp', [], 'prior_a', out.options.priors.a(:)', 'fam', []);
  if isfield(out, 'pxp'), c.pxp = out.pxp(:)'; end
  if ~isempty(families)
    fa = out.families.a(:);
    c.fam = struct('a', fa', 'r', out.families.r, 'Ef', out.families.Ef(:)', 'Vf', out.families.Vf(:)', ...
                   'ep_vba_mc', out.families.ep(:)', 'ep_exact', exact_ep(fa)', 'F0', out.families.F0, 'Fffx', out.families.Fffx);
  end
end

rand('twister', 7); randn('twister', 7);
cases = {};
cases{end + 1} = run_case('two-models-random', 3 * randn(2, 20), {});
L = -100 + randn(2, 20); L(1, 1:15) = L(1, 1:15) + 4; L(2, 16:20) = L(2, 16:20) + 2;
cases{end + 1} = run_case('two-models-clear', L, {});
cases{end + 1} = run_case('two-models-one-subject', [-10; -12.5], {});
cases{end + 1} = run_case('two-models-tied', repmat([-50; -50], 1, 12), {});
L3 = -80 + 2 * randn(3, 30); L3(2, 1:12) = L3(2, 1:12) + 3;
cases{end + 1} = run_case('three-models', L3, {});
L4 = -120 + 2.5 * randn(4, 25); L4(1, 1:8) = L4(1, 1:8) + 2; L4(3, 9:20) = L4(3, 9:20) + 3;
cases{end + 1} = run_case('four-models', L4, {});
cases{end + 1} = run_case('four-models-families-2x2', L4, {[1 2], [3 4]});
cases{end + 1} = run_case('three-models-families-1-2', L3, {[1], [2 3]});
cases{end + 1} = run_case('four-models-families-1-1-2', L4, {[1], [2], [3 4]});
L12 = -60 + randn(12, 10); L12(5, :) = L12(5, :) + 6;   % prior counts 1/12 < 0.1: VBA_ElogBeta's approximation
cases{end + 1} = run_case('twelve-models-small-counts', L12, {});

% ---------------------------------------------------------------- the bundled study, per group x session
fx = jsondecode(fileread(fullfile(outdir, 'vl-study.json')));
fid = fopen(fullfile(root, 'data', 'ketamine-trd', 'participants.csv'), 'r');
fgetl(fid); pid = {}; grp = {};
while true
  line = fgetl(fid); if ~ischar(line), break; end
  f = strsplit(line, ','); pid{end + 1} = f{1}; grp{end + 1} = f{2};
end
fclose(fid);
models = {'exp-asymmetry', 'signed-asymmetry', 'single', 'ee-scaled'};
sess = fx.sessions; fits = fx.fits;
if iscell(fits), fits = [fits{:}]; end
keys = {};
for k = 1:numel(sess)
  g = grp{strcmp(pid, sess(k).participant_id)};
  keys{k} = [g '|' sess(k).session];
end
ukeys = unique(keys, 'stable');
study = {};
for u = 1:numel(ukeys)
  idx = find(strcmp(keys, ukeys{u}));
  L = zeros(numel(models), numel(idx));
  for m = 1:numel(models)
    for j = 1:numel(idx)
      sel = [fits.session_index] == idx(j) - 1 & strcmp({fits.model}, models{m}) & strcmp({fits.preset}, 'kit') & strcmp({fits.layout}, 'static');
      L(m, j) = fits(sel).F;
    end
  end
  parts = strsplit(ukeys{u}, '|');
  c = run_case(['study-' parts{1} '-' parts{2}], L, {});
  c.group = parts{1}; c.session = parts{2};
  c.subjects = {sess(idx).participant_id};
  c.models = models;
  study{end + 1} = c;
end

meta = struct('generated_by', 'test/octave/make_bmc_fixtures.m', ...
              'vba', 'MBB-team/VBA-toolbox@5899497f5d0bb4d3ed28245a2ce751602826e027 (VBA_spm_gamrnd.c compiled with mkoctfile --mex)', ...
              'octave', info.octave_version, 'date', datestr(now, 'yyyy-mm-dd'), ...
              'options', 'VBA_groupBMC defaults: MaxIter 32, MinIter 1, TolFun 1e-4, prior counts summing to 1', ...
              'ep', 'ep_vba_mc: VBA out.ep (Monte Carlo, 1e5 samples); ep_exact: betainc (2 models) or quadrature (more)', ...
              'indexing', 'families are 1-based model indices (Octave)');
doc = struct('meta', meta, 'cases', {cases}, 'study', {study});
fid = fopen(fullfile(outdir, 'bmc.json'), 'w'); fprintf(fid, '%s', jsonencode(doc)); fclose(fid);
printf('wrote %s (%d cases, %d study cells)\n', fullfile(outdir, 'bmc.json'), numel(cases), numel(study));
for k = 1:numel(cases)
  c = cases{k};
  printf('%-28s ep_exact %s | vba %s | sum %.15f\n', c.name, mat2str(c.ep_exact, 6), mat2str(c.ep_vba_mc, 6), sum(c.ep_exact));
end
