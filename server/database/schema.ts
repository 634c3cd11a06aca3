import type { AgencyProfileTables } from '../agency-profile/tables.js';
import type { CalendarTables } from '../calendar/tables.js';
import type { PoolSettingsTables } from '../cases/pool-tables.js';
import type { CaseTables } from '../cases/tables.js';
import type { CatalogueTables } from '../catalogue/tables.js';
import type { ChallengeTables } from '../challenges/tables.js';
import type { CollectiveTables } from '../collective/tables.js';
import type { ComplaintTables } from '../complaints/tables.js';
import type { DefinitionTables } from '../definitions/tables.js';
import type { DiscretionTables } from '../discretion/tables.js';
import type { DiscussionTables } from '../discussions/tables.js';
import type { SealTables } from '../documents/seal/tables.js';
import type { DocumentTables } from '../documents/tables.js';
import type { RuntimeTables } from '../engine/tables.js';
import type { EvaluationTables } from '../evaluation/tables.js';
import type { ExportTables } from '../export/tables.js';
import type { GovernanceTables } from '../governance/tables.js';
import type { HintTables } from '../hints/tables.js';
import type { IdempotencyTables } from '../idempotency/tables.js';
import type { IdentityTables } from '../identity/tables.js';
import type { IntakeTables } from '../intake/tables.js';
import type { LawTables } from '../laws/tables.js';
import type { LifecycleTables } from '../lifecycle/tables.js';
import type { ModelerTables } from '../modeler/tables.js';
import type { ProgressTables } from '../progress/tables.js';
import type { PublicityTables } from '../publicity/tables.js';
import type { RecordTables } from '../records/tables.js';
import type { SimilarTables } from '../similar/tables.js';
import type { SupervisionTables } from '../supervision/tables.js';
import type { TransferTables } from '../transfers/tables.js';
import type { WebhookTables } from '../webhooks/tables.js';

/** The whole database, combined from each capability's own table types. */
export interface DB
  extends IdentityTables,
    DefinitionTables,
    RuntimeTables,
    CalendarTables,
    CaseTables,
    DocumentTables,
    SealTables,
    RecordTables,
    PublicityTables,
    ModelerTables,
    AgencyProfileTables,
    IdempotencyTables,
    EvaluationTables,
    ChallengeTables,
    WebhookTables,
    ExportTables,
    ComplaintTables,
    SupervisionTables,
    ProgressTables,
    GovernanceTables,
    LawTables,
    CatalogueTables,
    PoolSettingsTables,
    DiscretionTables,
    TransferTables,
    LifecycleTables,
    IntakeTables,
    DiscussionTables,
    CollectiveTables,
    SimilarTables,
    HintTables {}
