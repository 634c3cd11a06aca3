import { describe, expect, it } from 'vitest';
import { TEMPLATE_FORMS } from '../modeler/templates/forms.js';
import { OPTIONAL_POINTS, REVIEW_POINTS } from '../server/cases/review-points.js';
import { pointFields } from '../server/cases/review-rules.js';
import { workflowFile } from './helpers/flows.js';

// The modeler's 法制审核 building block asks the law's points as the shipped process and the server's rules do, so a
// flow a legal unit builds from it asks no point under other words or with other answers than the opinion states.
const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

async function declaredReviewFields() {
  const xml = await workflowFile('legal-review.bpmn');
  const task = /<bpmn:userTask id="Task_review"[\s\S]*?<\/bpmn:userTask>/.exec(xml)?.[0] ?? '';
  return new Map(
    [...task.matchAll(/<fashen:formField [^>]*\/>/g)].map(([tag]) => [
      attr(tag, 'name'),
      { label: attr(tag, 'label'), options: attr(tag, 'options') },
    ]),
  );
}

describe('the wording of the review points', () => {
  it('the building block asks every point of the law, each as the review step asks it', async () => {
    const declared = await declaredReviewFields();
    expect(declared.size).toBeGreaterThan(0);
    const lawPoints = REVIEW_POINTS.filter((p) => !OPTIONAL_POINTS.includes(p.key));
    const block = TEMPLATE_FORMS['fashen.legal-review'].filter((f) => /^(finding|note)_/.test(f.name));
    expect(block.map((f) => f.name)).toEqual(pointFields(lawPoints).map((f) => f.name));
    for (const field of pointFields(lawPoints)) {
      // The process's own declaration wins over the rules' added field (engine/instances.ts).
      const asked = declared.get(field.name) ?? {
        label: field.label,
        options: field.options?.join(','),
      };
      const inBlock = block.find((f) => f.name === field.name);
      expect({ name: field.name, label: inBlock?.label, options: inBlock?.options }).toEqual({
        name: field.name,
        label: asked.label,
        options: asked.options,
      });
    }
  });
});
