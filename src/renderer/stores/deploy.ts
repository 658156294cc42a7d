// The create-VM wizard's state: the draft, what each host offers (deploy.hostOptions), the
// automatic placement ranking, the preview (errors, warnings, domain XML) and the create call.
import { defineStore } from 'pinia';
import { computed, reactive, shallowRef } from 'vue';
import { api } from '../api';
import { vmNameSchema } from '../../shared/contract/deploy-schemas';
import type { DeployPreview, HostDeployOptions, PlacementResult } from '../../shared/model/deploy';
import type { Task } from '../../shared/model/task';
import { newDraft, specOf } from '../deploy/wizard';

export const useDeployStore = defineStore('deploy', () => {
  const draft = reactive(newDraft());
  const options = shallowRef<HostDeployOptions[]>([]);
  const optionsLoaded = shallowRef(false);
  const optionsError = shallowRef<string | null>(null);
  const placement = shallowRef<PlacementResult | null>(null);
  const placementError = shallowRef<string | null>(null);
  const ranking = shallowRef(false);
  const preview = shallowRef<DeployPreview | null>(null);
  const previewError = shallowRef<string | null>(null);
  const previewing = shallowRef(false);

  /** The host the VM goes to: the chosen one, or the one automatic placement ranked first. */
  const targetHostId = computed(() =>
    draft.placementMode === 'host' ? draft.hostId : (placement.value?.chosenHostId ?? null),
  );
  const targetHost = computed(() => options.value.find((h) => h.hostId === targetHostId.value) ?? null);

  async function loadOptions() {
    optionsError.value = null;
    try {
      options.value = await api.call('deploy.hostOptions', {});
    } catch (e) {
      optionsError.value = (e as Error).message;
    } finally {
      optionsLoaded.value = true;
    }
  }

  /** Asks every candidate host for capacity with the draft's size, pool, base and name. */
  async function rank() {
    ranking.value = true;
    placementError.value = null;
    try {
      placement.value = await api.call('deploy.placement', {
        policy: { strategy: draft.strategy },
        vcpus: Math.max(1, draft.vcpus),
        memoryMiB: Math.max(1, draft.memoryMiB),
        diskMiB: Math.max(0, draft.diskMiB),
        ...(draft.pool ? { pool: draft.pool } : {}),
        ...(draft.base && draft.sourceKind !== 'empty' ? { base: draft.base } : {}),
        ...(vmNameSchema.safeParse(draft.name).success ? { name: draft.name } : {}),
      });
    } catch (e) {
      placement.value = null;
      placementError.value = (e as Error).message;
    } finally {
      ranking.value = false;
    }
  }

  async function loadPreview() {
    previewing.value = true;
    previewError.value = null;
    try {
      preview.value = await api.call('deploy.previewXml', specOf(draft));
    } catch (e) {
      preview.value = null;
      previewError.value = (e as Error).message;
    } finally {
      previewing.value = false;
    }
  }

  function create(): Promise<Task> {
    return api.call('deploy.create', specOf(draft));
  }

  function reset() {
    Object.assign(draft, newDraft());
    placement.value = null;
    preview.value = null;
  }

  return {
    draft,
    options,
    optionsLoaded,
    optionsError,
    placement,
    placementError,
    ranking,
    preview,
    previewError,
    previewing,
    targetHostId,
    targetHost,
    loadOptions,
    rank,
    loadPreview,
    create,
    reset,
  };
});
