/** What the proxy keeps itself because moto does not: risk configurations, CloudTrail events, composite alarms, tiers. */

export interface RiskConfiguration {
  UserPoolId: string
  ClientId?: string
  CompromisedCredentialsRiskConfiguration?: Record<string, unknown>
  AccountTakeoverRiskConfiguration?: Record<string, unknown>
  RiskExceptionConfiguration?: Record<string, unknown>
  /** Epoch seconds. */
  LastModifiedDate?: number
}

/** A CloudTrail event-history entry, as LookupEvents returns it. */
export interface TrailEvent {
  EventId: string
  EventName: string
  /** Epoch seconds. */
  EventTime: number
  EventSource: string
  ReadOnly: 'true' | 'false'
  Username?: string
  AccessKeyId?: string
  Resources?: { ResourceType?: string; ResourceName?: string }[]
  /** The full record as a JSON string (as AWS sends it). */
  CloudTrailEvent: string
}

export interface CompositeAlarm {
  AlarmName: string
  AlarmArn: string
  AlarmRule: string
  AlarmDescription?: string
  ActionsEnabled: boolean
  AlarmActions: string[]
  OKActions: string[]
  InsufficientDataActions: string[]
  StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'
  StateReason: string
  /** Epoch seconds. */
  StateUpdatedTimestamp: number
  AlarmConfigurationUpdatedTimestamp: number
}

/** What the control endpoint and seeding accept to add to the proxy's state. */
export interface StateSeed {
  riskConfigurations?: RiskConfiguration[]
  /** Events by region. `CloudTrailEvent` may be given as an object; it is serialised. */
  events?: Record<string, (Omit<TrailEvent, 'CloudTrailEvent'> & { CloudTrailEvent: string | object })[]>
  compositeAlarms?: Record<string, (Partial<CompositeAlarm> & { AlarmName: string; AlarmRule: string })[]>
  /** Pool id → UserPoolTier, overriding what moto stores. */
  tiers?: Record<string, string>
  /**
   * Region → the account's applied Cognito rate quotas there, by category (`{ UserPoolRead: 30 }`: requests
   * per second, over AWS's defaults), or `'denied'`: ListServiceQuotas answers AccessDeniedException, as for
   * a role without servicequotas:ListServiceQuotas. Unseeded regions answer AWS's defaults.
   */
  serviceQuotas?: Record<string, Record<string, number> | 'denied'>
}

export class ProxyState {
  readonly risk = new Map<string, RiskConfiguration>()
  readonly events = new Map<string, TrailEvent[]>()
  readonly composites = new Map<string, Map<string, CompositeAlarm>>()
  readonly tiers = new Map<string, string>()
  /** Region → applied Cognito rate quotas by category, or 'denied' (see StateSeed.serviceQuotas). */
  readonly serviceQuotas = new Map<string, Record<string, number> | 'denied'>()
  /** `region/trailName` of trails whose selectors were set through the proxy. */
  readonly customSelectors = new Set<string>()
  /** GetMetricData: at most this many datapoints per page (AWS: MaxDatapoints, default 100,800); a
   *  smaller cap makes every caller paginate, for tests. */
  metricDataPageLimit: number | undefined
  private sorted = new Set<string>()

  static riskKey(poolId: string, clientId?: string) {
    return `${poolId}|${clientId ?? ''}`
  }

  clear() {
    this.risk.clear()
    this.events.clear()
    this.composites.clear()
    this.tiers.clear()
    this.serviceQuotas.clear()
    this.customSelectors.clear()
    this.metricDataPageLimit = undefined
    this.sorted.clear()
  }

  setRisk(config: RiskConfiguration) {
    this.risk.set(ProxyState.riskKey(config.UserPoolId, config.ClientId), {
      ...config,
      LastModifiedDate: config.LastModifiedDate ?? Date.now() / 1000,
    })
  }

  addEvents(region: string, events: StateSeed['events'] extends Record<string, infer E> | undefined ? E : never) {
    const list = this.events.get(region) ?? []
    for (const e of events) {
      list.push({
        ...e,
        CloudTrailEvent: typeof e.CloudTrailEvent === 'string' ? e.CloudTrailEvent : JSON.stringify(e.CloudTrailEvent),
      })
    }
    this.events.set(region, list)
    this.sorted.delete(region)
  }

  /** Events of a region, newest first (ties broken by id so pages are stable). */
  eventsOf(region: string): TrailEvent[] {
    const list = this.events.get(region) ?? []
    if (!this.sorted.has(region)) {
      list.sort((a, b) => b.EventTime - a.EventTime || (a.EventId < b.EventId ? -1 : a.EventId > b.EventId ? 1 : 0))
      this.sorted.add(region)
    }
    return list
  }

  putComposite(region: string, alarm: Partial<CompositeAlarm> & { AlarmName: string; AlarmRule: string }) {
    const now = Date.now() / 1000
    const map = this.composites.get(region) ?? new Map<string, CompositeAlarm>()
    map.set(alarm.AlarmName, {
      AlarmArn: `arn:aws:cloudwatch:${region}:123456789012:alarm:${alarm.AlarmName}`,
      ActionsEnabled: true,
      AlarmActions: [],
      OKActions: [],
      InsufficientDataActions: [],
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: now,
      AlarmConfigurationUpdatedTimestamp: now,
      ...alarm,
    })
    this.composites.set(region, map)
  }

  apply(seed: StateSeed) {
    for (const r of seed.riskConfigurations ?? []) this.setRisk(r)
    for (const [region, events] of Object.entries(seed.events ?? {})) this.addEvents(region, events)
    for (const [region, alarms] of Object.entries(seed.compositeAlarms ?? {})) {
      for (const a of alarms) this.putComposite(region, a)
    }
    for (const [pool, tier] of Object.entries(seed.tiers ?? {})) this.tiers.set(pool, tier)
    for (const [region, quotas] of Object.entries(seed.serviceQuotas ?? {})) {
      const before = this.serviceQuotas.get(region)
      this.serviceQuotas.set(
        region,
        quotas === 'denied' || before === undefined || before === 'denied' ? quotas : { ...before, ...quotas },
      )
    }
  }

  toJSON() {
    return {
      riskConfigurations: [...this.risk.values()],
      events: Object.fromEntries([...this.events.keys()].map((r) => [r, this.eventsOf(r)])),
      compositeAlarms: Object.fromEntries([...this.composites].map(([r, m]) => [r, [...m.values()]])),
      tiers: Object.fromEntries(this.tiers),
      serviceQuotas: Object.fromEntries(this.serviceQuotas),
    }
  }
}
