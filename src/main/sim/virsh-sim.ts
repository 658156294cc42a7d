// `virsh` on a simulated host: the read commands the collector uses and the lifecycle commands
// the tasks use, changing state as libvirt would; messages and errors are libvirt 9's own
// (captured with virsh 9.0, see test/fixtures/virsh/test-default_lifecycle.txt).
import type { SimHost, SimVm } from './model';
import { ST, findVm, isActive } from './model';
import * as out from './render-virsh';

export interface CmdResult {
  stdout: string;
  stderr: string;
  code: number;
}

const ok = (stdout: string): CmdResult => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): CmdResult => ({ stdout: '', stderr, code });

/** What virsh prints when libvirtd is not running (Debian's monolithic daemon socket). */
export const LIBVIRTD_DOWN =
  'error: failed to connect to the hypervisor\n' +
  "error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n";

/** How long a guest takes to power off after `virsh shutdown`. */
const SHUTDOWN_MS = 4000;

interface Parsed {
  command: string;
  flags: Set<string>;
  positional: string[];
  options: Map<string, string>;
}

/** Options that take a value, per command (everything else starting with -- is a flag). */
const VALUE_OPTIONS = new Set(['--domain', '--pool']);

function parse(args: readonly string[]): Parsed | CmdResult {
  let i = 0;
  while (i < args.length) {
    const a = args[i] as string;
    if (a === '-c' || a === '--connect') i += 2;
    else if (a.startsWith('--connect=')) i += 1;
    else if (a === '-q' || a === '--quiet' || a === '-r' || a === '--readonly') i += 1;
    else break;
  }
  const command = args[i];
  if (command === undefined) return fail('error: no command given (the simulator has no interactive virsh)\n');
  const flags = new Set<string>();
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let j = i + 1; j < args.length; j++) {
    const a = args[j] as string;
    if (VALUE_OPTIONS.has(a)) {
      options.set(a, args[j + 1] ?? '');
      j++;
    } else if (a.startsWith('--') && a.length > 2) flags.add(a);
    else positional.push(a);
  }
  return { command, flags, positional, options };
}

function domainArg(p: Parsed): string | undefined {
  return p.options.get('--domain') ?? p.positional[0];
}

const notFound = (name: string) => fail(`error: failed to get domain '${name}'\n\n`);

function withDomain(host: SimHost, p: Parsed, fn: (vm: SimVm) => CmdResult): CmdResult {
  const name = domainArg(p);
  if (name === undefined) return fail(`error: command '${p.command}' requires <domain> option\n`);
  const vm = findVm(host, name);
  return vm ? fn(vm) : notFound(name);
}

function boot(host: SimHost, vm: SimVm, nowMs: number): void {
  vm.state = ST.running;
  vm.reason = 1; // booted
  vm.domId = host.nextDomId++;
  vm.bootMs = nowMs;
  vm.shutdownAtMs = null;
  // a new QEMU process: its counters start again from zero
  const c = vm.c;
  c.cpuNs = c.userNs = c.sysNs = 0;
  c.vcpuNs = c.vcpuNs.map(() => 0);
  c.delayNs = c.delayNs.map(() => 0);
  c.rxB = c.rxP = c.txB = c.txP = c.rdB = c.rdR = c.wrB = c.wrR = c.flR = 0;
}

function powerOff(host: SimHost, vm: SimVm, reason: number): void {
  vm.state = ST.shutoff;
  vm.reason = reason;
  vm.domId = null;
  vm.shutdownAtMs = null;
  if (!vm.persistent) host.vms = host.vms.filter((v) => v !== vm);
}

const notRunning = (verb: string, vm: SimVm) =>
  fail(`error: Failed to ${verb} domain '${vm.name}'\nerror: internal error: domain '${vm.name}' not running\n\n`);
const notValid = (verb: string, vm: SimVm, what: string) =>
  fail(`error: Failed to ${verb} domain '${vm.name}'\nerror: Requested operation is not valid: domain is ${what}\n\n`);

function lifecycle(host: SimHost, p: Parsed, nowMs: number): CmdResult | null {
  switch (p.command) {
    case 'start':
      return withDomain(host, p, (vm) => {
        if (isActive(vm)) return fail('error: Domain is already active\n\n');
        boot(host, vm, nowMs);
        return ok(`Domain '${vm.name}' started\n\n`);
      });
    case 'shutdown':
      return withDomain(host, p, (vm) => {
        if (vm.state !== ST.running) return notRunning('shutdown', vm);
        vm.state = ST.shutdown;
        vm.reason = 1; // user
        vm.shutdownAtMs = nowMs + SHUTDOWN_MS;
        return ok(`Domain '${vm.name}' is being shutdown\n\n`);
      });
    case 'destroy':
      return withDomain(host, p, (vm) => {
        if (!isActive(vm)) return notValid('destroy', vm, 'not running');
        const name = vm.name;
        powerOff(host, vm, 2); // destroyed
        return ok(`Domain '${name}' destroyed\n\n`);
      });
    case 'reboot':
      return withDomain(host, p, (vm) => {
        if (vm.state !== ST.running) return notValid('reboot', vm, 'not running');
        vm.bootMs = nowMs;
        return ok(`Domain '${vm.name}' is being rebooted\n\n`);
      });
    case 'suspend':
      return withDomain(host, p, (vm) => {
        if (vm.state !== ST.running) return notRunning('suspend', vm);
        vm.state = ST.paused;
        vm.reason = 1; // user
        return ok(`Domain '${vm.name}' suspended\n\n`);
      });
    case 'resume':
      return withDomain(host, p, (vm) => {
        if (vm.state !== ST.paused) {
          return fail(
            `error: Failed to resume domain '${vm.name}'\nerror: internal error: domain '${vm.name}' not paused\n\n`,
          );
        }
        vm.state = ST.running;
        vm.reason = 5; // unpaused
        return ok(`Domain '${vm.name}' resumed\n\n`);
      });
    case 'autostart':
      return withDomain(host, p, (vm) => {
        vm.autostart = !p.flags.has('--disable');
        return ok(`Domain '${vm.name}' ${vm.autostart ? 'marked' : 'unmarked'} as autostarted\n\n`);
      });
    case 'undefine':
      return withDomain(host, p, (vm) => {
        vm.persistent = false;
        if (!isActive(vm)) host.vms = host.vms.filter((v) => v !== vm);
        return ok(`Domain '${vm.name}' has been undefined\n\n`);
      });
    default:
      return null;
  }
}

function read(host: SimHost, p: Parsed, nowMs: number): CmdResult | null {
  switch (p.command) {
    case 'domstats': {
      const vms: SimVm[] = [];
      for (const name of p.positional) {
        const vm = findVm(host, name);
        if (!vm) return notFound(name);
        vms.push(vm);
      }
      return ok(out.domstats(host, p.positional.length ? vms : host.vms, nowMs));
    }
    case 'list': {
      const all = p.flags.has('--all');
      let vms = all ? host.vms : host.vms.filter((v) => v.domId !== null);
      if (p.flags.has('--autostart')) vms = vms.filter((v) => v.autostart);
      if (p.flags.has('--no-autostart')) vms = vms.filter((v) => !v.autostart);
      const uuid = p.flags.has('--uuid');
      const name = p.flags.has('--name');
      if (uuid && name) return ok(`${vms.map((v) => `${v.uuid} ${v.name}`).join('\n')}\n\n`);
      if (uuid || name) return ok(`${vms.map((v) => (uuid ? v.uuid : v.name)).join('\n')}\n\n`);
      return ok(out.listTable(host, all));
    }
    case 'nodeinfo':
      return ok(out.nodeinfo(host));
    case 'version':
      return ok(out.version(p.flags.has('--daemon')));
    case 'pool-list':
      if (p.flags.has('--uuid')) return ok(out.poolListUuid(host));
      return ok(
        out.table(
          ['Name', 'State', 'Autostart'],
          host.pools.map((x) => [x.name, 'active', 'yes']),
        ),
      );
    case 'pool-info': {
      const key = p.options.get('--pool') ?? p.positional[0] ?? '';
      const text = out.poolInfoBytes(host, key);
      return text === null ? fail(`error: failed to get pool '${key}'\nerror: Storage pool not found\n\n`) : ok(text);
    }
    case 'domstate':
      return withDomain(host, p, (vm) => ok(out.domstate(vm, p.flags.has('--reason'))));
    case 'dominfo':
      return withDomain(host, p, (vm) => ok(out.dominfo(vm, nowMs)));
    case 'uri':
      return ok('qemu:///system\n\n');
    case 'hostname':
      return ok(`${host.name}\n\n`);
    default:
      return null;
  }
}

/** Runs `virsh ARGS…` (argv without the leading "virsh") against the host at `nowMs`. */
export function runVirsh(host: SimHost, args: readonly string[], nowMs: number): CmdResult {
  const p = parse(args);
  if (!('command' in p)) return p;
  if (host.libvirtdDown && p.command !== 'help') return fail(LIBVIRTD_DOWN);
  const r = read(host, p, nowMs) ?? lifecycle(host, p, nowMs);
  return r ?? fail(`error: unknown command: '${p.command}'\n`);
}
