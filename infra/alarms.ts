import { Duration } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface PipelineAlarmSources {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly deliveryDeadLetterQueue: IQueue;
  readonly ingestFunction: IFunction;
  readonly topic?: ITopic;
}

export interface PipelineAlarms {
  readonly deadLetterAlarm: Alarm;
  readonly deliveryFailureAlarm: Alarm;
  readonly functionErrorsAlarm: Alarm;
  readonly queueAgeAlarm: Alarm;
}

const FIVE_MINUTES = Duration.minutes(5);
/** How long the oldest change may wait before the single message group counts as stalled. */
const STALLED_AFTER = Duration.minutes(30);

/**
 * Four alarms, each meaning "an article may not be published": a change parked in the DLQ, an event
 * EventBridge could not queue, a function error, a queue that stopped moving. No data = no alarm.
 */
export function createPipelineAlarms(scope: Construct, sources: PipelineAlarmSources): PipelineAlarms {
  const whenAbove = (id: string, description: string, metric: IMetric, threshold: number) =>
    new Alarm(scope, id, {
      alarmDescription: `dropfeed: ${description}`,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  const maximum = { period: FIVE_MINUTES, statistic: 'Maximum' };

  const alarms: PipelineAlarms = {
    deadLetterAlarm: whenAbove(
      'DeadLetterAlarm',
      'a change failed repeatedly and is parked in the dead-letter queue',
      sources.deadLetterQueue.metricApproximateNumberOfMessagesVisible(maximum),
      0,
    ),
    deliveryFailureAlarm: whenAbove(
      'DeliveryFailureAlarm',
      'EventBridge could not queue an inbox change',
      sources.deliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible(maximum),
      0,
    ),
    functionErrorsAlarm: whenAbove(
      'FunctionErrorsAlarm',
      'the ingest function failed (an invocation error, not a rejected article)',
      sources.ingestFunction.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      0,
    ),
    queueAgeAlarm: whenAbove(
      'QueueAgeAlarm',
      `the oldest queued change has waited over ${STALLED_AFTER.toHumanString()}; the message group is stalled`,
      sources.queue.metricApproximateAgeOfOldestMessage(maximum),
      STALLED_AFTER.toSeconds(),
    ),
  };
  if (sources.topic) {
    const action = new SnsAction(sources.topic);
    for (const alarm of Object.values(alarms)) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
  return alarms;
}
