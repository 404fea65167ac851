"""The inspection process's capabilities (registered in apps.ready() for the inspector role;
an administrator holds every capability).

- `inspection.view`: read the cases (inspections, their subjects and conclusions, discipline
  decisions, programmes), the records behind the inspection and discipline statistics keys, and
  the discipline findings. The counts themselves stay under the statistics capability.
- `inspection.manage`: record and change them.
"""

VIEW_INSPECTION = "inspection.view"
MANAGE_INSPECTION = "inspection.manage"
