function S = read_study_sessions(csvfile)
% read_study_sessions -- the participant-sessions of a kit study's trials.csv, as VBA is given them.
%
% HOW TO RERUN: see the header of make_vl_fixtures.m (this file is a helper of it).
%
% Columns participant_id, session, event_id, first_estimate, base_rate, second_estimate (percentage points,
% used as they are: VBA sees E1, BR, E2 on the 0-100 scale). Every event of ketamine-trd is negative (V = -1),
% so N = sign(BR - E1) * V = +1 (good news) when BR < E1. Trials with a missing value or E1 = BR are skipped.
% Sessions are returned in order of first appearance in the file.
fid = fopen(csvfile, 'r');
if fid < 0, error('cannot open %s', csvfile); end
header = fgetl(fid); %#ok<NASGU>
keys = {}; S = struct('participant_id', {}, 'session', {}, 'E1', {}, 'BR', {}, 'E2', {}, 'N', {}, 'n_skipped', {});
while true
  line = fgetl(fid);
  if ~ischar(line), break; end
  if isempty(strtrim(line)), continue; end
  f = strsplit(line, ',', 'CollapseDelimiters', false);
  while numel(f) < 6, f{end + 1} = ''; end
  key = [f{1} '|' f{2}];
  k = find(strcmp(keys, key));
  if isempty(k)
    keys{end + 1} = key; k = numel(keys);
    S(k).participant_id = f{1}; S(k).session = f{2};
    S(k).E1 = []; S(k).BR = []; S(k).E2 = []; S(k).N = []; S(k).n_skipped = 0;
  end
  e1 = str2double(f{4}); br = str2double(f{5}); e2 = str2double(f{6});
  if isnan(e1) || isnan(br) || isnan(e2) || e1 == br
    S(k).n_skipped = S(k).n_skipped + 1;
    continue;
  end
  V = -1;
  S(k).E1(end + 1) = e1; S(k).BR(end + 1) = br; S(k).E2(end + 1) = e2;
  S(k).N(end + 1) = sign(br - e1) * V;
end
fclose(fid);
end
