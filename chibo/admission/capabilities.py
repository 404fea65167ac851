MANAGE_ADMISSION = "admission.manage"
