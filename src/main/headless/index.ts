// Built to out/main/headless.js: runs the headless CLI.
import { main } from './cli';

void main(process.argv.slice(2));
