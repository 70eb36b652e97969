function info = setup_vba_paths()
% setup_vba_paths -- put VBA-toolbox (and, when present, Greaves' code) on the Octave path.
%
% HOW TO RERUN: see the header of make_vl_fixtures.m (this file is a helper of it).
% VBA_PATH (default /work/tools/VBA-toolbox) and GREAVES_PATH (default /work/tools/greaves) are read from the
% environment. Returns what was used, for the fixtures' meta data.
vba = getenv('VBA_PATH'); if isempty(vba), vba = '/work/tools/VBA-toolbox'; end
gre = getenv('GREAVES_PATH'); if isempty(gre), gre = '/work/tools/greaves'; end
if ~exist(fullfile(vba, 'VBA_NLStateSpaceModel.m'), 'file')
  error('VBA-toolbox not found at %s: set VBA_PATH (see the header of make_vl_fixtures.m)', vba);
end
warning('off', 'all');
addpath(genpath(vba));
rmpath(fullfile(vba, 'legacy'));  % legacy/vec.m shadows a built-in
here = fileparts(mfilename('fullpath'));
addpath(here);
info.vba_path = vba;
info.greaves_path = '';
if exist(fullfile(gre, 'upd_model.m'), 'file')
  addpath(gre);
  info.greaves_path = gre;
end
info.octave_version = version();
end
