/**
 * Mount the interactive TUI on a terminal that `src/cli/commands/tui.ts` has prepared (environment
 * set, alternate screen entered, first frame painted, session started): render <App>, and resolve
 * with the exit code when the user quits or a signal arrives. Imported lazily: React and Ink load
 * only here.
 */
import {render} from './ink.js';
import type {Walkthrough} from '../runbooks/walkthrough.js';
import {App} from './App.js';
import type {Session} from './session.js';
import {engineHandle} from './session.js';
import type {SignalExit, TerminalSession} from './terminal.js';
import {CLEAR} from './terminal.js';
import type {Timings} from './timings.js';

export type MountOptions = Readonly<{
  session: Session;
  terminal: TerminalSession;
  timings: Timings;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}>;

export type TuiOutcome = Readonly<{code: number; fatal?: unknown; walkthroughs: Readonly<Record<string, Walkthrough>>}>;

export async function mountTui(options: MountOptions): Promise<TuiOutcome> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const {session} = options;
  const {store} = session;
  let signalled: SignalExit | undefined;
  let unmount: () => void = () => {};
  const handle = engineHandle(session);
  let frames = 0;
  const crashed = new Promise<never>((_, reject) => {
    options.terminal.enter();
    options.terminal.handle(
      (s) => {
        signalled = s;
        unmount();
      },
      (error) => reject(error),
    );
  });
  // Ink writes its first frame from the top of a clean screen (the pre-frame is replaced).
  options.terminal.write(CLEAR);
  const instance = render(<App store={store} engine={handle} clearScreen={() => options.terminal.write(CLEAR)} />, {
    stdout,
    stdin,
    exitOnCtrlC: true,
    patchConsole: true,
    maxFps: 20,
    // Ink 6.8's incremental renderer moves the cursor one row too few when the frame ends with a
    // newline (any frame shorter than the terminal — ours always is, by one row), so every redraw
    // lands one line low. The standard renderer, wrapped in synchronized output, draws correctly.
    incrementalRendering: false,
    onRender: ({renderTime}) => {
      frames++;
      options.timings.frame(renderTime);
      if (frames === 1) options.timings.mark('first-frame');
      // The frame just produced shows what the store holds (give or take a microtask).
      if (store.getState().data.golden.length > 0) options.timings.mark('first-data-frame');
    },
  });
  unmount = () => instance.unmount();
  options.session.onFatal(() => unmount());
  try {
    await Promise.race([instance.waitUntilExit(), crashed]);
  } finally {
    session.engine.stop();
    instance.unmount();
    instance.cleanup();
    options.terminal.leave();
  }
  const fatal = options.session.fatal();
  return {code: signalled ? signalled.code : 0, ...(fatal !== undefined ? {fatal} : {}), walkthroughs: store.getState().walkthroughs};
}
