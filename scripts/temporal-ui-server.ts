import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Temporal UI beside Temporal's own server (`npm run start:cluster`): the same UI server (temporalio/ui-server
 * v2.42.1) the dev server embeds, built by scripts/temporal-server.sh into the server's folder, so both engines show
 * the same UI, decoding payloads through the API's codec server.
 */
export interface UiServerOptions {
  /** The folder scripts/temporal-server.sh prints (it holds temporal-ui-server). */
  serverDir: string;
  /** Where its config and log go. */
  dataDir: string;
  /** The frontend's gRPC address. */
  temporalAddress: string;
  port: number;
  namespace: string;
  /** The API's codec server as the browser reaches it. */
  codecEndpoint: string;
}

export interface UiServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function startUiServer(options: UiServerOptions): UiServer {
  const configDir = path.join(options.dataDir, 'config');
  mkdirSync(configDir, { recursive: true });
  // As the dev server configures its UI (Temporal CLI v1.5.1), on loopback; JSON is YAML.
  const config = {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: options.namespace,
    // localhost, not 127.0.0.1, in the codec's address: the console's session cookie belongs to the host the browser
    // signed in at. The cookie goes with the UI's codec calls (includeCredentials), so no setting is needed in the UI.
    codec: { endpoint: options.codecEndpoint, includeCredentials: true },
    cors: { cookieInsecure: true, allowOrigins: [`http://localhost:${options.port}`, `http://127.0.0.1:${options.port}`] },
    notifyOnNewVersion: false,
    hideLogs: true,
  };
  writeFileSync(path.join(configDir, 'development.yaml'), JSON.stringify(config, null, 2));
  const child = spawn(
    path.join(options.serverDir, 'temporal-ui-server'),
    ['--root', options.dataDir, '--config', 'config', '--env', 'development', 'start'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const log = createWriteStream(path.join(options.dataDir, 'ui-server.log'), { flags: 'a' });
  // Two streams into one file: neither may end it, or the other's next line would be written after its end.
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('close', () => log.end()); // 'close': after both streams are drained
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://localhost:${options.port}`,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
