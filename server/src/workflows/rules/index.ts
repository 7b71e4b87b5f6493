import type { WorkflowRule } from '../types';
import { ghcrPush } from './ghcr-push';
import { imageName } from './image-name';
import { imageTag } from './image-tag';
import { legacyBuilder } from './legacy-builder';
import { triggers } from './triggers';

export const WORKFLOW_RULES: readonly WorkflowRule[] = [legacyBuilder, ghcrPush, imageName, imageTag, triggers];
