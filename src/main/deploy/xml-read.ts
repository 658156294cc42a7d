// Reading the XML libvirt prints (pool-dumpxml, vol-dumpxml, domain metadata) through
// xmlbuilder2's parser: a document, or null when the text is not XML (an `error:` line instead).
import { create } from 'xmlbuilder2';

export interface XmlElement {
  name: string;
  attr(name: string): string | null;
  /** The first descendant element with this (local) name, depth first. */
  find(name: string): XmlElement | null;
  text(): string;
}

interface DomElement {
  nodeType: number;
  localName: string | null;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
}

function wrap(el: DomElement): XmlElement {
  return {
    name: el.localName ?? el.nodeName,
    attr: (n) => el.getAttribute(n),
    text: () => el.textContent ?? '',
    find(name) {
      const stack: DomElement[] = Array.from(el.childNodes).reverse();
      while (stack.length > 0) {
        const n = stack.pop() as DomElement;
        if (n.nodeType !== 1) continue;
        if ((n.localName ?? n.nodeName) === name) return wrap(n);
        stack.push(...Array.from(n.childNodes).reverse());
      }
      return null;
    },
  };
}

/** The root element of an XML text, or null when it does not parse. */
export function parseXml(text: string): XmlElement | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('<')) return null;
  try {
    // xmlbuilder2's reader decodes named entities, then numeric ones, over the same text: the
    // `&amp;#38;` of a name holding `&#38;` would come out as `&`. Spelled `&#38;#38;` it survives.
    const doc = create(trimmed.replace(/&amp;#/g, '&#38;#'));
    return wrap(doc.root().node as unknown as DomElement);
  } catch {
    return null;
  }
}

/** The text of the first descendant with this name, trimmed, or null. */
export function childText(el: XmlElement | null, name: string): string | null {
  const c = el?.find(name);
  return c ? c.text().trim() : null;
}

/** A byte count of `<capacity unit='bytes'>` and friends (libvirt prints bytes); null if absent. */
export function childBytes(el: XmlElement | null, name: string): number | null {
  const c = el?.find(name);
  if (!c) return null;
  const n = Number(c.text().trim());
  if (!Number.isFinite(n)) return null;
  const unit = (c.attr('unit') ?? 'bytes').toLowerCase();
  const scale: Record<string, number> = {
    bytes: 1,
    b: 1,
    kib: 1024,
    k: 1024,
    mib: 1024 ** 2,
    m: 1024 ** 2,
    gib: 1024 ** 3,
  };
  return n * (scale[unit] ?? 1);
}
