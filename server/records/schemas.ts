import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';

const Hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });

export const CheckpointSchema = Type.Object(
  {
    treeSize: Type.Integer({ minimum: 0 }),
    root: Hex64,
    at: IsoDateTime,
    keyId: Hex64,
    body: Type.String({ description: '被签名的规范化 JSON（canonical JSON）' }),
    signature: Type.String({ description: 'SM2 签名 r‖s（十六进制），签名者标识 1234567812345678' }),
  },
  { description: '已签名的 Merkle 树检查点' },
);

export const SystemKeySchema = Type.Object({
  keyId: Hex64,
  publicKey: Type.String({ description: 'SM2 公钥（04‖x‖y，十六进制）' }),
  algorithm: Type.Literal('SM2-with-SM3'),
});

export const FileSchema = Type.Object({
  kind: Type.Union([Type.Literal('document'), Type.Literal('attachment')]),
  id: Type.String(),
  sm3: Hex64,
});

export const RecordedSignatureSchema = Type.Object({
  documentId: Type.String(),
  signerId: Type.String(),
  keyId: Type.String(),
  publicKey: Type.String(),
  certificate: Type.String(),
  certificateSignature: Type.String(),
  message: Type.String(),
  signature: Type.String(),
  signedAt: Type.String(),
});

export const RecordItemSchema = Type.Object({
  recordId: Type.Integer(),
  seq: Type.Integer({ minimum: 1 }),
  at: Type.String(),
  type: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Record(Type.String(), Type.Unknown()),
  files: Type.Array(FileSchema),
  signatures: Type.Array(RecordedSignatureSchema),
  prevHash: Hex64,
  hash: Hex64,
  leafIndex: Type.Union([Type.Integer(), Type.Null()], {
    description: '在全局 Merkle 树中的位置；尚未进入检查点为 null',
  }),
});

export const ProblemSchema = Type.Object({
  seq: Type.Union([Type.Integer(), Type.Null()]),
  recordId: Type.Union([Type.Integer(), Type.Null()]),
  check: Type.String({
    description: 'sequence | link | hash | body | file | signature | inclusion | checkpoint | tree',
  }),
  message: Type.String(),
  expected: Type.Optional(Type.String()),
  actual: Type.Optional(Type.String()),
});

export const SignatureCheckSchema = Type.Object({
  documentId: Type.String(),
  signerId: Type.String(),
  keyId: Type.String(),
  signedAt: Type.String(),
  valid: Type.Boolean(),
  label: Type.String({ description: '签名有效 / 签名无效：原因' }),
  problem: Type.Union([Type.String(), Type.Null()]),
});

export const VerificationSchema = Type.Object({
  caseId: Uuid,
  ok: Type.Boolean(),
  records: Type.Integer(),
  sequenced: Type.Integer({ description: '已由最新检查点证明包含的记录数' }),
  checkpoint: Type.Union([CheckpointSchema, Type.Null()]),
  firstProblem: Type.Union([ProblemSchema, Type.Null()]),
  problems: Type.Array(ProblemSchema),
  signatures: Type.Array(SignatureCheckSchema),
});

export const InclusionProofSchema = Type.Object({
  recordId: Type.Integer(),
  seq: Type.Integer(),
  recordHash: Hex64,
  leafIndex: Type.Integer(),
  treeSize: Type.Integer(),
  root: Hex64,
  auditPath: Type.Array(Hex64, { description: 'RFC 6962 审计路径，自叶子向上' }),
  checkpoint: Type.Union([CheckpointSchema, Type.Null()]),
});

export const ConsistencyProofSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  fromRoot: Hex64,
  toRoot: Hex64,
  proof: Type.Array(Hex64),
});
