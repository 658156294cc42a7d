// The files of a cloud-init NoCloud seed: meta-data and user-data. Both are written as JSON,
// which YAML (and so cloud-init) reads as it is: no value is ever spliced into YAML text. Extra
// user-data from the user travels as a second part of a MIME multipart message, untouched.
import { randomBytes } from 'node:crypto';
import type { CloudInit } from '../../shared/contract/deploy-schemas';

export interface SeedFiles {
  'meta-data': string;
  'user-data': string;
}

/** A VM name made into a hostname: letters, digits and inner dashes, at most 63 characters. */
export function hostnameFrom(name: string): string {
  const h = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 63)
    .replace(/-$/, '');
  return h || 'vm';
}

function cloudConfig(ci: CloudInit, hostname: string): string {
  const config: Record<string, unknown> = { hostname, preserve_hostname: false };
  if (ci.user) {
    config.users = [
      'default',
      {
        name: ci.user,
        groups: ['sudo'],
        shell: '/bin/bash',
        sudo: 'ALL=(ALL) NOPASSWD:ALL',
        lock_passwd: true,
        ssh_authorized_keys: ci.sshKeys,
      },
    ];
  } else if (ci.sshKeys.length > 0) {
    config.ssh_authorized_keys = ci.sshKeys;
  }
  return `#cloud-config\n${JSON.stringify(config, null, 2)}\n`;
}

function partType(text: string): string {
  if (text.startsWith('#!')) return 'text/x-shellscript';
  if (text.startsWith('#include')) return 'text/x-include-url';
  if (text.startsWith('#cloud-boothook')) return 'text/cloud-boothook';
  return 'text/cloud-config';
}

/** meta-data and user-data for a VM; `boundary` is drawn at random unless given (tests). */
export function seedFiles(ci: CloudInit, vm: { name: string; uuid: string }, boundary?: string): SeedFiles {
  const hostname = ci.hostname ?? hostnameFrom(vm.name);
  const meta = `${JSON.stringify({ 'instance-id': vm.uuid, 'local-hostname': hostname }, null, 2)}\n`;
  const config = cloudConfig(ci, hostname);
  if (ci.userData === undefined || ci.userData.trim() === '') return { 'meta-data': meta, 'user-data': config };
  let b = boundary ?? `==VirtDeck${randomBytes(12).toString('hex')}==`;
  while (ci.userData.includes(b)) b = `==VirtDeck${randomBytes(12).toString('hex')}==`;
  const part = (type: string, body: string) =>
    `--${b}\nContent-Type: ${type}; charset="utf-8"\nMIME-Version: 1.0\nContent-Transfer-Encoding: 8bit\n\n${body}${body.endsWith('\n') ? '' : '\n'}`;
  const user = [
    `Content-Type: multipart/mixed; boundary="${b}"`,
    'MIME-Version: 1.0',
    '',
    part('text/cloud-config', config) + part(partType(ci.userData), ci.userData) + `--${b}--`,
    '',
  ].join('\n');
  return { 'meta-data': meta, 'user-data': user };
}
