// Runs before every e2e test file (jest.e2e.config.js): the API's answers are recorded for the
// contract check at the end of the run.
import { installResponseRecorder } from './api-contract/response-recorder';

installResponseRecorder();
