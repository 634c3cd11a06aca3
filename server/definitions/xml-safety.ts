import { issue, refuse } from './issues.js';

// A DTD is how both XXE (external entities) and billion laughs (nested entity expansion) get in. BPMN needs
// none, so any declaration is refused on the raw text before a parser ever sees it.
const DTD_DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

/** Checks the raw upload before parsing: its size and the absence of any DTD or entity declaration. */
export function checkRawXml(xml: string, maxBytes: number): void {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > maxBytes) {
    refuse([issue('BPMN_UNSAFE', `BPMN 文件过大：${bytes} 字节，上限 ${maxBytes} 字节`)]);
  }
  const declaration = DTD_DECLARATION.exec(xml);
  if (declaration) {
    const kind = declaration[1].toUpperCase();
    refuse([
      issue(
        'BPMN_UNSAFE',
        `BPMN 文件不得包含 <!${kind}> 声明（可能造成外部实体注入或实体膨胀攻击）`,
        null,
        kind === 'DOCTYPE' ? '!DOCTYPE' : '!ENTITY',
      ),
    ]);
  }
}
