import { runCli } from './cli';
import { runAsProcess } from './process-main';

runAsProcess((argv, io) => runCli(argv, io));
