// A data directory as an admin leaves it after adding the lab host through the UI: the host
// configured (root, the lab key) and its host key trusted. For e2e tests about other views.
import { join } from 'node:path';
import { HostConfigStore } from '../../src/main/config/host-config-store';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import type { Lab } from './lab-env';
import { fingerprintOf } from './sshd';
import { tempDir } from './transports';

export function labDataDir(lab: Lab, intervalSec = 2): string {
  const dataDir = tempDir('e2e-lab');
  const port = lab.ports[0] ?? 0;
  new HostConfigStore(join(dataDir, 'hosts.json')).add({
    name: 'lab',
    address: lab.host,
    port,
    user: 'root',
    identityFile: lab.keyPath,
    uri: lab.uri,
    intervalSec,
    timeoutSec: 5,
    enabled: true,
  });
  new HostKeyStore(join(dataDir, 'trusted-host-keys.json')).trust(
    lab.host,
    port,
    'ssh-ed25519',
    fingerprintOf(lab.hostPubKeyPath),
  );
  return dataDir;
}
