// argv builders for every virsh call VirtDeck makes; the URI is always passed with -c, because
// virsh without it means qemu:///session for a non-root user.

export function virshListAll(uri: string): string[] {
  return ['virsh', '-c', uri, 'list', '--all'];
}
