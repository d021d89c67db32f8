import type { RiskAcceptance } from './risk-acceptance';

export type NewRiskAcceptance = Omit<RiskAcceptance, 'createdAt'>;

export interface RiskAcceptanceRepository {
  /** Creates it, or moves the expiry (and who decided) of the one in force for the same key. */
  accept(acceptance: NewRiskAcceptance): Promise<RiskAcceptance>;
  /** Those of the repository whose expiry is after `now`. */
  inForce(repoId: string, now: Date): Promise<RiskAcceptance[]>;
}
