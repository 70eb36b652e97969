function pr = kit_prior(model, preset)
% kit_prior -- the prior presets of src/lib/models/bayes/priors.ts, for VBA (must stay identical to them).
%
% HOW TO RERUN: see the header of make_vl_fixtures.m (this file is a helper of it).
%
%   preset 'greaves': log-scale parameters N(log(1/128), 1/4) (Greaves' upd_invert.m), signed b N(0, 1/4),
%                     noise precision Gamma(1, 1);
%   preset 'kit':     exp(a) median 0.3 (ee-scaled 0.1), exp(b) median 0.05, log-SD 1; signed b N(0, 0.25^2);
%                     noise precision Gamma(1, 25).
switch preset
  case 'greaves'
    g = log(1/128);
    switch model
      case 'exp-asymmetry',    pr.mean = [g; g];  pr.covariance = diag([0.25 0.25]);
      case 'signed-asymmetry', pr.mean = [g; 0];  pr.covariance = diag([0.25 0.25]);
      case 'single',           pr.mean = g;       pr.covariance = 0.25;
      case 'ee-scaled',        pr.mean = [g; g];  pr.covariance = diag([0.25 0.25]);
    end
    pr.shape = 1; pr.rate = 1;
  case 'kit'
    switch model
      case 'exp-asymmetry',    pr.mean = [log(0.3); log(0.05)]; pr.covariance = diag([1 1]);
      case 'signed-asymmetry', pr.mean = [log(0.3); 0];         pr.covariance = diag([1 0.0625]);
      case 'single',           pr.mean = log(0.3);              pr.covariance = 1;
      case 'ee-scaled',        pr.mean = [log(0.1); log(0.05)]; pr.covariance = diag([1 1]);
    end
    pr.shape = 1; pr.rate = 25;
  otherwise
    error('unknown preset %s', preset);
end
end
