import type { EventCheck } from '../types';
import { rotationDisabled } from './rotationDisabled';
import { rotationFailed } from './rotationFailed';
import { rotationScheduleTooLong } from './rotationScheduleTooLong';

export const rotationChecks: readonly EventCheck[] = [rotationFailed, rotationDisabled, rotationScheduleTooLong];
