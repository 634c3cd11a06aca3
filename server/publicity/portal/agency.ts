import { agencyDisclosures } from '../../agency-profile/public.js';
import { getDepartmentCatalogue } from '../../catalogue/service.js';
import type { DefinitionLoader } from '../../engine/definition.js';
import { AppError, statusOf } from '../../http/errors.js';
import { certificateHolders } from '../../identity/directory.js';
import { DomainError } from '../../infra/errors.js';
import type { PublicityContext } from '../disclosures/timers.js';
import { categoryLabel } from './exports.js';
import { findAgency } from './search.js';

/** 事前公开 of one agency: who it is, its certified officers and its review catalogue (目录清单). */
export async function agencyProfile(ctx: PublicityContext & { cache: DefinitionLoader }, id: string) {
  const agency = await findAgency(ctx.db, id);
  if (!agency) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
  const officers = (await certificateHolders(ctx.db, id)).map((o) => ({
    name: o.name,
    certificateNumber: o.certificateNumber ?? '',
    domain: o.domain,
  }));
  const catalogue = await getDepartmentCatalogue({ db: ctx.db, cache: ctx.cache }, id).then(
    (c) => ({
      version: c.version,
      items: c.items.map((i) => ({
        code: i.code,
        categoryLabel: categoryLabel(i.category) === i.category ? i.categoryLabel : categoryLabel(i.category),
        name: i.name,
        basis: i.basis,
      })),
    }),
    (err) => {
      if (err instanceof DomainError && statusOf(err) === 404) return null; // no review process deployed yet
      throw err;
    },
  );
  return { agency: { id: agency.id, code: agency.code, name: agency.name }, officers, catalogue };
}

/** The agency's public page: the profile above and what its legal unit discloses (事前公开), read in parallel. */
export async function agencyPage(ctx: PublicityContext & { cache: DefinitionLoader }, id: string) {
  const [profile, disclosures] = await Promise.all([
    agencyProfile(ctx, id),
    agencyDisclosures(ctx.db, id, { powers: 'summary' }),
  ]);
  return { ...profile, ...disclosures };
}
