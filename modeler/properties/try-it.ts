import { h } from '@bpmn-io/properties-panel/preact';
import { useState } from '@bpmn-io/properties-panel/preact/hooks';
import { api, type CaseFacts, type Trial } from '../api/client.js';
import { CATEGORY_LABELS } from './labels.js';
import type { ModdleObject } from './util.js';

// The sample case stays the same while the legal unit moves from item to item.
const sample: CaseFacts = {
  category: 'penalty',
  partyType: 'organization',
  amount: 50000,
  measure: 'fine',
  hearingHeld: false,
  thirdPartyAffected: false,
  complex: false,
  publicInterest: false,
  socialImpact: false,
};

const FLAGS: [keyof CaseFacts, string][] = [
  ['hearingHeld', '已经听证'],
  ['thirdPartyAffected', '涉及第三人重大权益'],
  ['complex', '案情疑难复杂'],
  ['publicInterest', '涉及重大公共利益'],
  ['socialImpact', '可能造成重大社会影响'],
];

function select(label: string, key: 'category' | 'partyType', choices: Record<string, string>) {
  return h(
    'label',
    { class: 'fm-try-field' },
    label,
    h(
      'select',
      { onChange: (e: Event) => (sample[key] = (e.target as HTMLSelectElement).value) },
      Object.entries(choices).map(([value, text]) => h('option', { value, selected: sample[key] === value }, text)),
    ),
  );
}

function verdict(trial: Trial | null, error: string | null) {
  if (error) return h('p', { class: 'fm-try-result fm-try-error' }, error);
  if (!trial) return null;
  if (trial.problem) return h('p', { class: 'fm-try-result fm-try-error' }, trial.problem);
  return h(
    'p',
    { class: `fm-try-result ${trial.applies ? 'fm-try-yes' : 'fm-try-no'}` },
    trial.applies ? '适用：本案属于该事项，须经法制审核' : `不适用（条件结果：${JSON.stringify(trial.result)}）`,
  );
}

/** "试算": evaluates the item's condition on a sample case, on the server, exactly as a submitted case would be. */
export function TryItEntry({ id, item }: { id: string; item: ModdleObject }) {
  const [trial, setTrial] = useState<Trial | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    try {
      setTrial(await api.tryCondition(item.get('condition') ?? '', { ...sample }));
    } catch (err) {
      setTrial(null);
      setError((err as Error).message);
    }
  };
  return h(
    'div',
    { class: 'bio-properties-panel-entry fm-try', 'data-entry-id': id },
    h('div', { class: 'fm-try-title' }, '试算：用样例案件事实检验适用条件'),
    select('决定类别', 'category', CATEGORY_LABELS),
    select('当事人', 'partyType', { organization: '法人或其他组织', person: '自然人' }),
    h(
      'label',
      { class: 'fm-try-field' },
      '涉案金额（元）',
      h('input', {
        type: 'number',
        min: 0,
        value: sample.amount,
        onInput: (e: Event) => (sample.amount = Number((e.target as HTMLInputElement).value) || 0),
      }),
    ),
    h(
      'label',
      { class: 'fm-try-field' },
      '措施代码',
      h('input', {
        type: 'text',
        value: sample.measure,
        onInput: (e: Event) => (sample.measure = (e.target as HTMLInputElement).value.trim() || 'fine'),
      }),
    ),
    FLAGS.map(([key, label]) =>
      h(
        'label',
        { class: 'fm-try-flag' },
        h('input', {
          type: 'checkbox',
          checked: sample[key] === true,
          onChange: (e: Event) => ((sample as Record<string, unknown>)[key] = (e.target as HTMLInputElement).checked),
        }),
        label,
      ),
    ),
    h('button', { type: 'button', class: 'fm-try-run', onClick: run }, '试算'),
    verdict(trial, error),
  );
}
