MANAGE_COURSES = "courses.manage"
